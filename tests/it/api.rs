//! The JSON API for tablets and kiosks, on both backends.

use serde_json::{Value, json};

use crate::support::{Backend, TestApp, client};

async fn openapi_examples_are_accepted(backend: Backend) {
    let app = TestApp::demo(&backend).await;
    let token = app.desk_token("MC-PHUOCHUNG");
    let c = client();
    let doc: Value = c.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    let post = &doc["paths"]["/api/v1/desks/{desk_token}/feedback"]["post"];
    let examples = &post["requestBody"]["content"]["application/json"]["examples"];
    // The schema lists the survey's real questions.
    let answers = &doc["components"]["schemas"]["Feedback"]["properties"]["answers"]["properties"];
    assert!(answers["on_time"]["enum"].as_array().unwrap().contains(&json!("early")));
    let url = app.url(&format!("/api/v1/desks/{token}/feedback"));
    // A yes/no answer may be a boolean, and the document says so.
    assert_eq!(answers["extra_money"]["oneOf"][1]["type"], "boolean");
    let r = c.post(&url).json(&json!({ "overall": 3, "answers": { "extra_money": false } })).send().await.unwrap();
    assert_eq!(r.status(), 201);

    let r = c.post(&url).json(&examples["rating"]["value"]).send().await.unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.json::<Value>().await.unwrap()["result"], "rated");

    let r = c.post(&url).json(&examples["report"]["value"]).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["result"], "reported");
    let receipt = v["receipt"].as_str().unwrap().to_string();
    assert!(receipt.starts_with("PA-"));
    assert_eq!(v["tracking_url"], format!("{}/t/{receipt}", app.base));
    assert_eq!((app.count("ratings"), app.count("cases")), (3, 1));
    let stored = app.services.db.read(|c| hailong::store::feedback::get(c, 3)).unwrap();
    assert_eq!(stored.channel, "api");

    // Status by receipt, typed loosely.
    let r = app.api_case(&c, &receipt.to_lowercase()).await;
    assert_eq!(r.status(), 200);
    let case: Value = r.json().await.unwrap();
    assert_eq!(case["receipt"], receipt);
    assert_eq!(case["status"], "received");
    assert_eq!(case["category"], "petty_corruption");
    assert_eq!(case["steps"][0]["kind"], "received");
    assert!(case["steps"][0]["at"].as_str().unwrap().starts_with("20"));
    let text = case.to_string();
    assert!(!text.contains("nguoidan") && !text.contains("X-PHUOCHUNG"), "no names: {text}");
    let r = app.api_case(&c, "PA-2222-3333").await;
    assert_eq!(r.status(), 404);
    app.stop().await;
}

async fn api_errors_name_field_paths_and_store_nothing(backend: Backend) {
    let app = TestApp::demo_with(&backend, |c| c.citizen.ip_per_minute = 1000).await;
    let token = app.desk_token("MC-TP");
    let c = client();
    let url = app.url(&format!("/api/v1/desks/{token}/feedback"));
    let report = |extra: Value| {
        let mut r = json!({ "category": "delay", "description": "Hẹn lại nhiều lần mà không có lý do." });
        for (k, v) in extra.as_object().unwrap() {
            r[k] = v.clone();
        }
        r
    };
    let cases: Vec<(Value, u16, &str)> = vec![
        (json!({ "overall": 7 }), 422, "overall"),
        (json!({ "overall": 2, "answers": { "on_time": "someday" } }), 422, "answers.on_time"),
        (json!({ "overall": 2, "answers": { "colour": "red" } }), 422, "answers.colour"),
        (json!({ "overall": 2, "officer": "X-PHUOCHOA-01" }), 422, "officer"),
        (
            json!({ "overall": 2, "report": report(json!({ "contact": { "email": "nope", "consent": true } })) }),
            422,
            "report.contact.email",
        ),
        (
            json!({ "overall": 2, "report": report(json!({ "contact": { "phone": "0912345678" } })) }),
            422,
            "report.contact.consent",
        ),
        (
            json!({ "overall": 2, "report": report(json!({ "occurred_at": "2020-01-01T00:00:00Z" })) }),
            422,
            "report.occurred_at",
        ),
        (json!({ "overall": 2, "report": { "category": "delay", "description": "" } }), 422, "report.description"),
        (json!({ "overall": "two" }), 400, "overall"),
        (json!({ "overall": 2, "mood": "ok" }), 400, "mood"),
        (json!({ "overall": 2, "report": { "description": "thiếu loại hành vi" } }), 400, "report"),
        // Answers are exactly the listed values: not blank, not padded (the form trims; the API does not).
        (json!({ "overall": 2, "answers": { "behaviour": [""] } }), 422, "answers.behaviour"),
        (json!({ "overall": 2, "answers": { "on_time": " early" } }), 422, "answers.on_time"),
        (json!({ "overall": 2, "answers": { "on_time": "" } }), 422, "answers.on_time"),
        // Optional fields are left out, never null (the OpenAPI document's types are not nullable).
        (json!({ "overall": 2, "report": null }), 400, "report"),
        (json!({ "overall": 2, "comment": null }), 400, "comment"),
        (json!({ "overall": 2, "officer": null }), 400, "officer"),
        (json!({ "overall": 2, "file_code": null }), 400, "file_code"),
        (json!({ "overall": 2, "answers": null }), 400, "answers"),
        (json!({ "overall": 2, "report": report(json!({ "officer": null })) }), 400, "report.officer"),
        (json!({ "overall": 2, "report": report(json!({ "occurred_at": null })) }), 400, "report.occurred_at"),
        (json!({ "overall": 2, "report": report(json!({ "contact": null })) }), 400, "report.contact"),
        (
            json!({ "overall": 2, "report": report(json!({ "contact": { "email": null, "consent": true } })) }),
            400,
            "report.contact.email",
        ),
    ];
    for (body, status, field) in cases {
        let r = c.post(&url).header("accept-language", "en").json(&body).send().await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{body}");
        let v: Value = r.json().await.unwrap();
        let fields: Vec<&str> = v["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&field), "{body}: {fields:?}");
    }
    // Vietnamese by default.
    let r = c.post(&url).json(&json!({ "overall": 7 })).send().await.unwrap();
    let v: Value = r.json().await.unwrap();
    assert!(v["message"].as_str().unwrap().contains("không có gì được lưu"));
    // Not JSON at all, too large, unknown desk.
    assert_eq!(c.post(&url).body("{not json").send().await.unwrap().status(), 400);
    let huge = json!({ "overall": 2, "comment": "z".repeat(70_000) });
    let r = c.post(&url).json(&huge).send().await.unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "too_large");
    let r = app.api_feedback(&c, "ABCDEFGHJKLMN", &json!({ "overall": 3 })).await;
    assert_eq!(r.status(), 404);
    assert_eq!(c.get(&url).send().await.unwrap().status(), 405);
    assert_eq!((app.count("ratings"), app.count("cases")), (0, 0));
    app.stop().await;
}

async fn api_is_rate_limited_like_the_form(backend: Backend) {
    let app = TestApp::demo_with(&backend, |c| c.citizen.desk_per_minute = 2).await;
    let token = app.desk_token("MC-TP");
    let url = app.url(&format!("/api/v1/desks/{token}/feedback"));
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let r = client().post(&url).json(&json!({ "overall": 3 })).send().await.unwrap();
        statuses.push(r.status().as_u16());
        if r.status() == 429 {
            assert!(r.headers().contains_key("retry-after"));
            assert_eq!(r.json::<Value>().await.unwrap()["error"], "rate_limited");
        }
    }
    assert_eq!(statuses, [201, 201, 429]);
    assert_eq!(app.count("ratings"), 2);
    app.stop().await;
}

both_backends!(
    openapi_examples_are_accepted,
    api_errors_name_field_paths_and_store_nothing,
    api_is_rate_limited_like_the_form
);
