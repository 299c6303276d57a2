//! The questions are data: a versioned survey definition (TOML) so a province can change questions
//! without a new build. Each rating stores the survey version and the Circular 01/2018 points its
//! answers earned, so later reports need no re-interpretation.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::case::Category;
use crate::domain::feedback::FieldError;
use crate::i18n::{Lang, Text};
use crate::t;

/// The survey shipped with hailong.
pub const DEFAULT: &str = include_str!("../../surveys/default.toml");

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Localized {
    pub vi: String,
    pub en: String,
}

impl Localized {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Single,
    Multi,
    Yesno,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: String,
    pub text: Localized,
    pub points: Option<i32>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub kind: Kind,
    pub text: Localized,
    pub hint: Option<Localized>,
    /// Circular 01/2018 index fed by this question (1, 3 or 4).
    pub index: Option<u8>,
    /// For yes/no questions: the case category a "yes" opens.
    pub flag: Option<Category>,
    #[serde(default)]
    pub options: Vec<Choice>,
}

/// The overall-satisfaction scale. Ratings store an integer; words come per locale.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// Circular 32/2017 wording: 3 Rất hài lòng, 2 Hài lòng, 1 Chưa hài lòng.
    #[default]
    Vn3,
    /// 5 Rất hài lòng … 1 Rất không hài lòng.
    Vn5,
}

impl Scale {
    pub fn as_str(self) -> &'static str {
        match self {
            Scale::Vn3 => "vn3",
            Scale::Vn5 => "vn5",
        }
    }

    /// The stored code back (`vn3`, `vn5`).
    pub fn parse(s: &str) -> Option<Scale> {
        match s {
            "vn3" => Some(Scale::Vn3),
            "vn5" => Some(Scale::Vn5),
            _ => None,
        }
    }

    /// Levels from best to worst, with their words.
    pub fn levels(self, lang: Lang) -> Vec<(i32, &'static str)> {
        let words: &[(&str, &str)] = match self {
            Scale::Vn3 => {
                &[("Rất hài lòng", "Very satisfied"), ("Hài lòng", "Satisfied"), ("Chưa hài lòng", "Not satisfied")]
            }
            Scale::Vn5 => &[
                ("Rất hài lòng", "Very satisfied"),
                ("Hài lòng", "Satisfied"),
                ("Bình thường", "Neutral"),
                ("Không hài lòng", "Dissatisfied"),
                ("Rất không hài lòng", "Very dissatisfied"),
            ],
        };
        let top = words.len() as i32;
        words
            .iter()
            .enumerate()
            .map(|(i, (vi, en))| (top - i as i32, if lang == Lang::Vi { *vi } else { *en }))
            .collect()
    }

    pub fn max(self) -> i32 {
        match self {
            Scale::Vn3 => 3,
            Scale::Vn5 => 5,
        }
    }

    /// Whether `level` is on this scale (1..=max).
    pub fn contains(self, level: i32) -> bool {
        (1..=self.max()).contains(&level)
    }

    /// Satisfied = the top two levels.
    pub fn is_satisfied(self, level: i32) -> bool {
        level >= self.max() - 1
    }

    /// The levels that count as dissatisfied (a comment on one opens a case).
    pub fn is_dissatisfied(self, level: i32) -> bool {
        match self {
            Scale::Vn3 => level == 1,
            Scale::Vn5 => level <= 2,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    pub version: String,
    #[serde(default)]
    pub scale: Scale,
    pub questions: Vec<Question>,
}

/// Circular 01/2018 points (2 / 1 / 0) a rating earned; `None` = no data for that index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexPoints {
    pub idx1: Option<i32>,
    pub idx3: Option<i32>,
    pub idx4: Option<i32>,
}

/// Answers checked against the survey.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluated {
    /// Canonical answers by question id: a string, or an array for multi-choice.
    pub answers: BTreeMap<String, Value>,
    pub points: IndexPoints,
    /// Case categories the answers call for (a "yes" on a flagged question).
    pub flags: Vec<Category>,
}

impl Survey {
    /// Parses and checks a survey definition.
    pub fn parse(text: &str) -> Result<Survey, Text> {
        let s: Survey = crate::toml_errors::from_str(text).map_err(|problems| {
            let Text { vi, en } = crate::toml_errors::list(&problems);
            let sep = if problems.len() == 1 { " " } else { "\n" };
            t!("bộ câu hỏi không hợp lệ:{sep}{vi}", "invalid survey:{sep}{en}")
        })?;
        s.check()?;
        Ok(s)
    }

    pub fn default_survey() -> Survey {
        Survey::parse(DEFAULT).expect("the shipped survey is valid")
    }

    fn check(&self) -> Result<(), Text> {
        let v = &self.version;
        if v.trim().is_empty() || v.len() > 64 {
            return Err(t!(
                "bộ câu hỏi: `version` phải có, tối đa 64 ký tự",
                "survey: `version` is required, at most 64 characters"
            ));
        }
        let mut ids = HashSet::new();
        let mut indices = HashSet::new();
        for q in &self.questions {
            let id = &q.id;
            let bad = |vi: &str, en: &str| Err(t!("câu hỏi {id:?}: {vi}", "question {id:?}: {en}"));
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                return bad("mã chỉ gồm a-z, 0-9, _", "id must use a-z, 0-9, _ only");
            }
            if !ids.insert(id.clone()) {
                return bad("mã bị trùng", "duplicate id");
            }
            match q.kind {
                Kind::Single if q.options.len() < 2 => {
                    return bad("cần ít nhất 2 lựa chọn", "needs at least 2 options");
                }
                Kind::Multi if q.options.is_empty() => return bad("cần ít nhất 1 lựa chọn", "needs at least 1 option"),
                Kind::Yesno if !q.options.is_empty() => {
                    return bad("câu có/không không có lựa chọn riêng", "a yes/no question has no options");
                }
                _ => {}
            }
            let mut values = HashSet::new();
            for o in &q.options {
                if o.value.is_empty() || !values.insert(o.value.as_str()) {
                    return bad("giá trị lựa chọn trống hoặc bị trùng", "an option value is empty or repeated");
                }
                if o.points.is_some_and(|p| !(0..=2).contains(&p)) {
                    return bad("điểm phải là 0, 1 hoặc 2", "points must be 0, 1 or 2");
                }
                if o.points.is_some() && q.index.is_none() {
                    return bad(
                        "có điểm nhưng không có `index`",
                        "options have points but the question has no `index`",
                    );
                }
            }
            if let Some(i) = q.index {
                if ![1, 3, 4].contains(&i) {
                    return bad("`index` phải là 1, 3 hoặc 4", "`index` must be 1, 3 or 4");
                }
                if q.kind != Kind::Single {
                    return bad("chỉ câu một lựa chọn mới có `index`", "only single-choice questions have an `index`");
                }
                if !indices.insert(i) {
                    return bad("hai câu hỏi cùng một `index`", "two questions feed the same `index`");
                }
            }
            if q.flag.is_some() && q.kind != Kind::Yesno {
                return bad("chỉ câu có/không mới có `flag`", "only yes/no questions have a `flag`");
            }
            if q.flag == Some(Category::Dissatisfied) {
                return bad("`flag` không thể là dissatisfied", "`flag` cannot be dissatisfied");
            }
        }
        // The reports keep fixed counters per day (domain::rollup): say so rather than drop answers.
        let yes_no = self.questions.iter().filter(|q| q.kind == Kind::Yesno).count();
        if yes_no > crate::domain::rollup::MAX_YES_NO {
            let max = crate::domain::rollup::MAX_YES_NO;
            return Err(t!(
                "bộ câu hỏi: báo cáo đếm tối đa {max} câu có/không, ở đây có {yes_no}",
                "survey: the reports count at most {max} yes/no questions, this one has {yes_no}"
            ));
        }
        if let Some(q) = self.questions.iter().find(|q| q.kind == Kind::Multi)
            && q.options.len() > crate::domain::rollup::MAX_TICKS
        {
            let (id, max) = (&q.id, crate::domain::rollup::MAX_TICKS);
            return Err(t!(
                "câu hỏi {id:?}: câu nhiều lựa chọn đầu tiên (“4 xin, 4 luôn”) có tối đa {max} lựa chọn",
                "question {id:?}: the first multi-choice question (“4 please, 4 always”) has at most {max} options"
            ));
        }
        Ok(())
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Checks answers (question id → submitted values) and computes points and flags. Every
    /// question is optional; an unanswered one gives no data.
    pub fn evaluate(
        &self,
        answers: &BTreeMap<String, Vec<String>>,
        lang_field: impl Fn(&str) -> String,
    ) -> Result<Evaluated, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut out = Evaluated::default();
        for (id, values) in answers {
            if self.question(id).is_none() {
                errors.push(FieldError::new(
                    lang_field(id),
                    t!("không có câu hỏi {id:?}", "there is no question {id:?}"),
                ));
            }
            let _ = values;
        }
        for q in &self.questions {
            let field = lang_field(&q.id);
            let values: Vec<&str> = answers
                .get(&q.id)
                .map(|v| v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect())
                .unwrap_or_default();
            if values.is_empty() {
                continue;
            }
            match q.kind {
                Kind::Single => {
                    if values.len() > 1 {
                        errors.push(FieldError::new(field, t!("chỉ chọn một câu trả lời", "choose one answer only")));
                        continue;
                    }
                    let Some(choice) = q.options.iter().find(|o| o.value == values[0]) else {
                        errors.push(FieldError::new(field, invalid_choice(values[0])));
                        continue;
                    };
                    out.answers.insert(q.id.clone(), json!(choice.value));
                    match q.index {
                        Some(1) => out.points.idx1 = choice.points,
                        Some(3) => out.points.idx3 = choice.points,
                        Some(4) => out.points.idx4 = choice.points,
                        _ => {}
                    }
                }
                Kind::Multi => {
                    let mut chosen: Vec<&str> = Vec::new();
                    for v in &values {
                        if !q.options.iter().any(|o| o.value == *v) {
                            errors.push(FieldError::new(field.clone(), invalid_choice(v)));
                        } else if !chosen.contains(v) {
                            chosen.push(v);
                        }
                    }
                    // Canonical order: the survey's.
                    let ordered: Vec<&str> =
                        q.options.iter().map(|o| o.value.as_str()).filter(|v| chosen.contains(v)).collect();
                    out.answers.insert(q.id.clone(), json!(ordered));
                }
                Kind::Yesno => {
                    let yes = match values[..] {
                        ["yes"] | ["true"] | ["co"] => true,
                        ["no"] | ["false"] | ["khong"] => false,
                        _ => {
                            errors.push(FieldError::new(
                                field,
                                t!("trả lời \"yes\" (có) hoặc \"no\" (không)", "answer \"yes\" or \"no\""),
                            ));
                            continue;
                        }
                    };
                    out.answers.insert(q.id.clone(), json!(if yes { "yes" } else { "no" }));
                    if yes && let Some(c) = q.flag {
                        out.flags.push(c);
                    }
                }
            }
        }
        if errors.is_empty() { Ok(out) } else { Err(errors) }
    }
}

/// "… is not one of this question's options", for every channel.
pub fn invalid_choice(v: &str) -> Text {
    t!("lựa chọn {v:?} không có trong câu hỏi này", "{v:?} is not one of this question's options")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect())).collect()
    }

    #[test]
    fn default_survey_maps_answers_to_circular_points() {
        let s = Survey::default_survey();
        assert_eq!(s.scale, Scale::Vn3);
        let e = s
            .evaluate(
                &answers(&[
                    ("on_time", &["early"]),
                    ("returns", &["1"]),
                    ("other_offices", &["more"]),
                    ("extra_money", &["yes"]),
                    ("extra_documents", &["no"]),
                    ("behaviour", &["smile", "greet", "smile"]),
                ]),
                |id| id.to_string(),
            )
            .unwrap();
        assert_eq!(e.points, IndexPoints { idx1: Some(2), idx3: Some(1), idx4: Some(0) });
        assert_eq!(e.flags, vec![Category::PettyCorruption]);
        assert_eq!(e.answers["behaviour"], json!(["greet", "smile"]));
        // "Not received" gives no data for index 1; nothing answered gives nothing.
        let e = s.evaluate(&answers(&[("on_time", &["not_received"])]), |id| id.to_string()).unwrap();
        assert_eq!(e.points.idx1, None);
        assert_eq!(s.evaluate(&BTreeMap::new(), |id| id.to_string()).unwrap(), Evaluated::default());
    }

    #[test]
    fn bad_answers_name_their_field() {
        let s = Survey::default_survey();
        let errs = s
            .evaluate(
                &answers(&[
                    ("on_time", &["soon"]),
                    ("extra_money", &["maybe"]),
                    ("nope", &["x"]),
                    ("returns", &["0", "1"]),
                ]),
                |id| format!("q_{id}"),
            )
            .unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        for f in ["q_on_time", "q_extra_money", "q_nope", "q_returns"] {
            assert!(fields.contains(&f), "{f} not in {fields:?}");
        }
    }

    #[test]
    fn scales() {
        assert_eq!(Scale::Vn3.levels(Lang::Vi), vec![(3, "Rất hài lòng"), (2, "Hài lòng"), (1, "Chưa hài lòng")]);
        assert!(Scale::Vn3.is_satisfied(2) && !Scale::Vn3.is_satisfied(1) && Scale::Vn3.is_dissatisfied(1));
        assert!(Scale::Vn5.is_satisfied(4) && !Scale::Vn5.is_satisfied(3) && Scale::Vn5.is_dissatisfied(2));
    }

    #[test]
    fn invalid_definitions_are_refused() {
        let base = "version = \"x\"\n[[questions]]\nid = \"a\"\ntext.vi = \"A\"\ntext.en = \"A\"\n";
        for (extra, needle) in [
            ("kind = \"single\"\noptions = [{ value = \"x\", text.vi = \"x\", text.en = \"x\" }]\n", "at least 2"),
            ("kind = \"yesno\"\nindex = 1\n", "only single-choice"),
            (
                "kind = \"multi\"\nflag = \"harassment\"\noptions = [{ value = \"x\", text.vi = \"x\", text.en = \"x\" }]\n",
                "only yes/no",
            ),
            ("kind = \"yesno\"\ncolour = 1\n", "colour"),
        ] {
            let e = Survey::parse(&format!("{base}{extra}")).unwrap_err();
            assert!(e.en.contains(needle), "{needle}: {}", e.en);
        }
        // Every TOML problem at once, by line and key.
        let e = Survey::parse(&format!("{base}kind = \"yesno\"\nkind = \"single\"\nhint = oops\n")).unwrap_err();
        assert!(e.vi.contains("dòng 7: [[questions]], khóa `kind`: khóa bị trùng"), "{}", e.vi);
        assert!(e.vi.contains("dòng 8: [[questions]], khóa `hint`"), "{}", e.vi);
    }
}
