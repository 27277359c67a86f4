//! The outbox as the secretariat sees it: a message for each event, to the account it
//! concerns alone, written with the change.

use serde_json::{Value, json};

use crate::evaluation::panel;

fn items(v: &Value) -> Vec<Value> {
    v["items"].as_array().unwrap().clone()
}

#[actix_web::test]
async fn each_event_owes_its_own_account_one_message_and_the_secretariat_sees_it() {
    let p = panel().await;
    let list = format!("/api/v1/meetings/{}/messages", p.meeting);
    // Three proposals submitted: three messages to their proposer, waiting (this app
    // has no SMTP server configured).
    let submitted = p
        .app
        .get(&format!("{list}?kind=submitted"), Some(&p.sec))
        .await
        .expect(200)
        .body;
    assert_eq!(submitted["total"], 3, "{submitted}");
    for m in items(&submitted) {
        assert_eq!(
            (&m["recipient"], &m["state"], &m["channel"]),
            (&json!("pat@example.org"), &json!("queued"), &json!("email"))
        );
        assert!(
            m["subject"]
                .as_str()
                .unwrap()
                .starts_with("Proposal received: "),
            "{m}"
        );
    }
    // Only the secretariat reads them; a filter that is none is refused by name.
    let proposer = p.app.login("pat@example.org").await;
    p.app.get(&list, Some(&proposer)).await.expect(403);
    p.app
        .get(&format!("{list}?state=lost"), Some(&p.sec))
        .await
        .expect(422)
        .only_rule("state", "one_of");
    // The assignment tells each evaluator given proposals, and nobody else.
    let r = p
        .app
        .post(&p.path(), Some(&p.sec), &json!({"per_proposal": 3}))
        .await
        .expect(200);
    let told = items(
        &p.app
            .get(&format!("{list}?kind=assignments"), Some(&p.sec))
            .await
            .expect(200)
            .body,
    );
    let loaded: Vec<i64> = p
        .evaluators
        .iter()
        .map(|e| e.1)
        .filter(|id| r.body["loads"][id.to_string()].as_i64().unwrap_or(0) > 0)
        .collect();
    assert_eq!(told.len(), loaded.len(), "{told:?}");
    for (i, (_, id)) in p.evaluators.iter().enumerate() {
        let email = if i == 0 {
            "ben.speaker@example.org".to_string()
        } else {
            format!("mag{i}@example.org")
        };
        let mine: Vec<&Value> = told.iter().filter(|m| m["recipient"] == email).collect();
        assert_eq!(mine.len(), usize::from(loaded.contains(id)), "{email}");
        if let Some(m) = mine.first() {
            let n = r.body["loads"][id.to_string()].as_i64().unwrap();
            let plural = if n == 1 { "" } else { "s" };
            assert!(
                m["subject"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("{n} proposal{plural} to evaluate")),
                "{m}"
            );
        }
    }
    // A second run that changes nothing tells nobody again.
    p.app
        .post(&p.path(), Some(&p.sec), &json!({"per_proposal": 3}))
        .await
        .expect(200);
    let again = p
        .app
        .get(&format!("{list}?kind=assignments"), Some(&p.sec))
        .await
        .expect(200)
        .body;
    assert_eq!(again["total"], json!(told.len()));
}
