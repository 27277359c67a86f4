//! The exports downloaded from the desk: the API's export use cases under the signed-in
//! browser's role, with the same filters in the query string.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::auth::AuthUser;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::exports::tables::{self, *};
use crate::exports::{Format, Table};
use crate::extract::parse_query;
use crate::state::AppState;
use crate::web::desk::{self, Visitor};

/// The table `what` of a meeting, read as `user` under the filters in `query`, and
/// the format asked for.
fn export(
    c: &mut DbConn,
    user: &AuthUser,
    meeting_id: i64,
    what: &str,
    query: &str,
) -> Result<(Table, Format), ApiError> {
    Ok(match what {
        "proposals" => {
            let q: ProposalsExport = parse_query(query)?;
            (tables::proposals(c, user, meeting_id, &q)?, q.format)
        }
        "assignments" => {
            let q: AssignmentsExport = parse_query(query)?;
            (tables::assignments(c, user, meeting_id, &q)?, q.format)
        }
        "scores" => {
            let q: ScoresExport = parse_query(query)?;
            (tables::scores(c, user, meeting_id, &q)?, q.format)
        }
        "results" => {
            let q: ResultsExport = parse_query(query)?;
            (tables::results(c, user, meeting_id, &q)?, q.format)
        }
        "decisions" => {
            let q: DecisionsExport = parse_query(query)?;
            (tables::decisions(c, user, meeting_id, &q)?, q.format)
        }
        "programme" => {
            let q: ProgrammeExport = parse_query(query)?;
            (
                tables::programme(c, &Some(user.clone()), meeting_id, &q)?,
                q.format,
            )
        }
        _ => return Err(ApiError::NotFound("export")),
    })
}

/// `GET /desk/meetings/{meeting_id}/exports/{what}`: a list as a file, for the signed-in
/// browser; a refusal is the desk's page for it.
pub async fn download(
    state: web::Data<AppState>,
    req: HttpRequest,
    visitor: Visitor,
    path: web::Path<(i64, String)>,
) -> HttpResponse {
    let b = match desk::require(&visitor, &req) {
        Ok(b) => b,
        Err(go) => return *go,
    };
    let (meeting_id, what) = path.into_inner();
    let (user, query, stem) = (
        b.user.clone(),
        req.query_string().to_string(),
        format!("{what}-{meeting_id}"),
    );
    let got = crate::db::run(&state.pool, move |c| {
        export(c, &user, meeting_id, &what, &query)
    })
    .await;
    match got.and_then(|(t, format)| {
        crate::exports::handlers::download(&t, format, &stem, "private, no-store")
    }) {
        Ok(r) => r,
        Err(e) => desk::refusal(Some(&b), &e),
    }
}

/// The links that download one export as CSV and as XLSX.
#[derive(Debug, Clone)]
pub struct Links {
    /// What the links download, in words.
    pub label: &'static str,
    /// The CSV file.
    pub csv: String,
    /// The XLSX file.
    pub xlsx: String,
}

/// Links to download `what` of a meeting under `filters` (empty values left out).
pub fn links(
    label: &'static str,
    meeting_id: i64,
    what: &str,
    filters: &[(&str, String)],
) -> Links {
    let path = format!("{}/meetings/{meeting_id}/exports/{what}", desk::ROOT);
    let with = |format: &str| {
        let mut pairs: Vec<(&str, String)> = filters
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .cloned()
            .collect();
        pairs.push(("format", format.to_string()));
        crate::web::service::with_query(&path, &pairs)
    };
    Links {
        label,
        csv: with("csv"),
        xlsx: with("xlsx"),
    }
}
