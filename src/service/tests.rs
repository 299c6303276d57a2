//! Use cases and read models on a real SQLite file with the 2021 Tuy Phước example organisation:
//! the decisions the service layer now makes itself (what a form submission becomes, who sees
//! what on a case page, which link uses are logged, what the CLI's reads return).

use chrono::{DateTime, Duration, Utc};

use super::Services;
use super::cases::{self, CitizenAction, LinkPage};
use super::desk::{self, Lookup};
use super::feedback::{self, FormInput, FormResult, Outcome};
use crate::config::Config;
use crate::domain::case::{EventKind, LinkRole, Status, Verdict};
use crate::domain::feedback::{RawFeedback, RawReport};
use crate::domain::form_token;
use crate::error::Error;
use crate::i18n::Lang;
use crate::store;

const ORG: &str = include_str!("../../examples/tuyphuoc.toml");

pub(crate) fn services() -> (tempfile::TempDir, Services) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config { data_dir: dir.path().join("data"), ..Config::default() };
    config.sla.default_calendar = "24x7".into();
    let s = Services::open(config).unwrap();
    super::org::import_text(&s, ORG, "tuyphuoc.toml", false).unwrap();
    (dir, s)
}

pub(crate) fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

pub(crate) fn view(s: &Services, code: &str, now: DateTime<Utc>) -> desk::DeskView {
    let token = s.db.read(|c| store::org::desk_by_code(c, code)).unwrap().unwrap().token;
    match block_on(desk::find(s, &token)).unwrap() {
        Lookup::Active(d) => d.at(now),
        _ => panic!("{code} is not active"),
    }
}

pub(crate) fn input(s: &Services, v: &desk::DeskView, raw: RawFeedback, now: DateTime<Utc>) -> FormInput {
    FormInput {
        raw,
        form_token: form_token::issue(&s.secret.derive("form"), v.desk().id, now),
        honeypot: String::new(),
        browser_cookie: None,
        ip: None,
        lang: Lang::Vi,
        now,
    }
}

pub(crate) fn rating(overall: &str) -> RawFeedback {
    RawFeedback { overall: overall.into(), ..Default::default() }
}

pub(crate) fn count(s: &Services, table: &str) -> i64 {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    s.db.read(|c| Ok(diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).get_result::<N>(c)?.n)).unwrap()
}

/// A report about a named officer at Phước Hưng's desk; returns the receipt.
fn report(s: &Services, now: DateTime<Utc>, with_contact: bool) -> String {
    let v = view(s, "MC-PHUOCHUNG", now);
    let mut raw = rating("1");
    raw.report = Some(RawReport {
        category: "harassment".into(),
        description: "Cán bộ yêu cầu nộp thêm giấy tờ không có trong quy định và nói năng thiếu tôn trọng.".into(),
        officer: "X-PHUOCHUNG-03".into(),
        contact_email: if with_contact { "nguoidan@example.com".into() } else { String::new() },
        consent: with_contact,
        ..Default::default()
    });
    match block_on(feedback::submit_form(s, &v, input(s, &v, raw, now))).unwrap() {
        FormResult::Stored(Outcome::Reported { receipt, .. }) => receipt,
        _ => panic!("the report was not stored"),
    }
}

/// The handler's link of a case: a fresh one issued through a renewal would need mail; the
/// stored link's token is derived from the nonce its email keeps.
pub(crate) fn handler_token(s: &Services, receipt: &str) -> String {
    let case = s.db.read(|c| store::cases::by_receipt(c, receipt)).unwrap().unwrap();
    let emails = s.db.read(|c| store::outbox::for_case(c, case.id)).unwrap();
    let links: Vec<_> =
        s.db.read(|c| {
            use diesel::prelude::*;
            use store::schema::action_links as l;
            Ok(l::table.filter(l::case_id.eq(case.id)).select((l::id, l::role)).load::<(i64, LinkRole)>(c)?)
        })
        .unwrap();
    // The latest handler link: after an escalation or a reopening, earlier ones are revoked.
    let handler_link = links.iter().filter(|(_, r)| *r == LinkRole::Handler).map(|(id, _)| *id).max().unwrap();
    let nonce = emails.iter().find(|e| e.link_id == Some(handler_link)).unwrap().link_nonce.clone().unwrap();
    super::links::token_for(&s.secret, &nonce)
}

#[test]
fn a_form_submission_becomes_one_of_five_outcomes_and_only_one_stores() {
    let (_dir, s) = services();
    let now = Utc::now();
    let v = view(&s, "MC-TP", now);
    // A bot: answered as if all went well, nothing stored, counted.
    let mut bot = input(&s, &v, rating("3"), now);
    bot.honeypot = "http://spam.example".into();
    assert!(matches!(block_on(feedback::submit_form(&s, &v, bot)).unwrap(), FormResult::Spam));
    assert!(s.metrics.render().contains("hailong_spam_rejected_total{reason=\"honeypot\"} 1"));
    // A token from nowhere, or an old one.
    let mut forged = input(&s, &v, rating("3"), now);
    forged.form_token = "x".into();
    assert!(matches!(block_on(feedback::submit_form(&s, &v, forged)).unwrap(), FormResult::Forged));
    let old = input(&s, &v, rating("3"), now - Duration::hours(5));
    let old = FormInput { now, ..old };
    assert!(matches!(block_on(feedback::submit_form(&s, &v, old)).unwrap(), FormResult::Expired));
    // A field to correct, named.
    match block_on(feedback::submit_form(&s, &v, input(&s, &v, rating("7"), now))).unwrap() {
        FormResult::Invalid(errors) => assert_eq!(errors[0].field, "overall"),
        _ => panic!("7 is not a level"),
    }
    assert_eq!(count(&s, "ratings"), 0, "nothing stored so far");
    let stored = block_on(feedback::submit_form(&s, &v, input(&s, &v, rating("3"), now))).unwrap();
    assert!(matches!(stored, FormResult::Stored(Outcome::Rated { replaced: false, .. })));
    assert_eq!(count(&s, "ratings"), 1);
}

#[test]
fn an_empty_api_report_is_an_error_not_a_plain_rating() {
    let (_dir, s) = services();
    let now = Utc::now();
    let v = view(&s, "MC-TP", now);
    let mut raw = rating("2");
    raw.report = Some(RawReport::default());
    match block_on(feedback::submit_api(&s, &v, raw, None, Lang::En, now)).unwrap() {
        feedback::ApiResult::Invalid(errors) => {
            assert_eq!(errors[0].field, "report");
            assert!(errors[0].message.en.starts_with("The report is empty"));
        }
        _ => panic!("stored an empty report"),
    }
    assert_eq!(count(&s, "ratings"), 0);
}

#[test]
fn the_handler_sees_contact_details_and_every_open_is_logged() {
    let (_dir, s) = services();
    let now = Utc::now();
    let receipt = report(&s, now, true);
    let token = handler_token(&s, &receipt);
    let LinkPage::Case(page) = cases::case_page(&s, &token, now).unwrap() else { panic!("no case page") };
    assert_eq!(page.role, LinkRole::Handler);
    assert_eq!(page.contact.as_ref().map(|c| c.email.as_str()), Some("nguoidan@example.com"));
    assert_eq!(page.status, Status::Received);
    assert_eq!(page.log.iter().map(|e| e.kind).collect::<Vec<_>>(), [EventKind::Received, EventKind::Routed]);
    assert!(page.acts.contains(&crate::domain::case::Act::Acknowledge));
    // Shown again after a refusal: not logged a second time.
    cases::case_page_again(&s, &token, now).unwrap();
    let link = s.db.read(|c| store::links::by_hash(c, &super::links::hash(&token))).unwrap().unwrap();
    let uses = s.db.read(|c| store::links::uses(c, link.id)).unwrap();
    assert_eq!(uses, [("GET".to_string(), None, "opened".to_string())]);
    // Expired: the page says so, and that use is logged too.
    let later = now + Duration::days(s.config.sla.link_days as i64 + 1);
    assert!(matches!(cases::case_page(&s, &token, later).unwrap(), LinkPage::Expired));
    assert!(matches!(cases::case_page(&s, "nonsense", now).unwrap(), LinkPage::Unknown));
    assert_eq!(s.db.read(|c| store::links::uses(c, link.id)).unwrap().len(), 2);
}

#[test]
fn the_tracking_view_shows_public_steps_and_the_citizen_can_only_act_on_a_current_page() {
    let (_dir, s) = services();
    let now = Utc::now();
    let receipt = report(&s, now, true);
    assert!(cases::track(&s, "PA-2222-3333").unwrap().is_none());
    let t = cases::track(&s, &receipt).unwrap().unwrap();
    assert!(t.steps.iter().all(|st| st.kind.is_public()));
    assert!(t.forms.has_contact && !t.forms.can_rate && !t.forms.can_reply);
    // Rating before any answer is refused; a stale page token changes nothing.
    let refused = cases::citizen_act(&s, &receipt, &t.forms.token, CitizenAction::Rate(Verdict::Satisfied, None), now);
    assert!(matches!(refused, Err(Error::Conflict(_))));
    let stale = cases::citizen_act(&s, &receipt, "stale", CitizenAction::Erase, now);
    assert!(matches!(stale, Err(Error::Conflict(_))));
    assert!(cases::track(&s, &receipt).unwrap().unwrap().forms.has_contact);
    cases::citizen_act(&s, &receipt, &t.forms.token, CitizenAction::Erase, now).unwrap();
    let after = cases::track(&s, &receipt).unwrap().unwrap();
    assert!(!after.forms.has_contact);
    assert_eq!(after.steps.last().map(|st| st.kind), Some(EventKind::ContactErased));
}

#[test]
fn cli_reads_go_through_the_service() {
    let (_dir, s) = services();
    let text = super::org::export(&s).unwrap();
    assert!(text.contains("code = \"X-PHUOCHUNG\""));
    let urls = desk::form_urls(&s).unwrap();
    assert_eq!(urls.len(), 14);
    assert!(urls.iter().all(|(_, url, _)| url.starts_with("http://127.0.0.1:8080/q/")));
    let today = Utc::now().date_naive();
    assert!(super::org::delegations(&s, today).unwrap().is_empty());
    assert!(matches!(super::org::revoke_delegation(&s, 99, Utc::now()), Err(Error::NotFound(_))));
    let (seq, head) = super::audit::head(&s).unwrap();
    assert_eq!((seq, head.as_str()), (0, ""));
}
