//! The one route map: every URL of the service is bound to its handler here, and
//! nowhere else. [`ROUTES`] lists the same table for the spec and matrix tests.

use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::ApiError;
use crate::{
    audit, auth, bilaterals, evaluation, exports, feeds, meetings, notify, ops, proposals, reports,
    scheduling, selection, sessions,
};

/// Declares the route table once: `ROUTES` lists `(method, path)` for the spec test,
/// `configure` registers the same routes with actix. A path with no route for the
/// method answers 405 with `Allow`.
macro_rules! routes {
    ($($path:literal => { $($method:ident => $handler:path),+ $(,)? }),+ $(,)?) => {
        /// Every route as `(method, path)`, in OpenAPI path syntax.
        pub const ROUTES: &[(&str, &str)] = &[$($((stringify!($method), $path)),+),+];

        /// Registers every route; the only place URLs are bound to handlers.
        pub fn configure(cfg: &mut web::ServiceConfig) {
            $(
                cfg.service(
                    web::resource($path)
                        $(.route(web::method(Method::$method).to($handler)))+
                        .default_service(web::to(method_not_allowed)),
                );
            )+
        }
    };
}

routes! {
    "/" => { GET => ops::index },
    "/health" => { GET => ops::health },
    "/api/v1/openapi.yaml" => { GET => ops::openapi },
    "/api/v1/auth/register" => { POST => auth::handlers::register },
    "/api/v1/auth/login" => { POST => auth::handlers::login },
    "/api/v1/auth/confirm-email" => { POST => auth::handlers::confirm_email },
    "/api/v1/auth/password-reset" => { POST => auth::handlers::request_reset },
    "/api/v1/auth/password-reset/confirm" => { POST => auth::handlers::reset_password },
    "/api/v1/auth/me" => { GET => auth::handlers::me },
    "/api/v1/auth/password" => { POST => auth::handlers::change_password },
    "/api/v1/auth/sign-out" => { POST => auth::handlers::sign_out },
    "/api/v1/users" => { GET => auth::handlers::list_users, POST => auth::handlers::create_user },
    "/api/v1/users/{user_id}" => {
        GET => auth::handlers::get_user,
        PATCH => auth::handlers::update_user,
        DELETE => auth::handlers::deactivate_user,
    },
    "/api/v1/meetings" => { GET => meetings::handlers::list_meetings, POST => meetings::handlers::create_meeting },
    "/api/v1/meetings/{meeting_id}" => {
        GET => meetings::handlers::get_meeting,
        PATCH => meetings::handlers::update_meeting,
        DELETE => meetings::handlers::remove_meeting,
    },
    "/api/v1/meetings/{meeting_id}/days" => {
        GET => meetings::handlers::list_days,
        POST => meetings::handlers::add_day,
    },
    "/api/v1/meetings/{meeting_id}/days/{day_number}" => {
        PATCH => meetings::handlers::update_day,
        DELETE => meetings::handlers::remove_day,
    },
    "/api/v1/meetings/{meeting_id}/slots" => {
        GET => meetings::handlers::list_slots,
        POST => meetings::handlers::add_slot,
    },
    "/api/v1/slots/{slot_id}" => {
        PATCH => meetings::handlers::update_slot,
        DELETE => meetings::handlers::remove_slot,
    },
    "/api/v1/meetings/{meeting_id}/rooms" => {
        GET => meetings::handlers::list_rooms,
        POST => meetings::handlers::add_room,
    },
    "/api/v1/rooms/{room_id}" => {
        PATCH => meetings::handlers::update_room,
        DELETE => meetings::handlers::remove_room,
    },
    "/api/v1/meetings/{meeting_id}/themes" => {
        GET => meetings::handlers::list_themes,
        POST => meetings::handlers::add_theme,
    },
    "/api/v1/themes/{theme_id}" => {
        PATCH => meetings::handlers::update_theme,
        DELETE => meetings::handlers::remove_theme,
    },
    "/api/v1/meetings/{meeting_id}/session-types" => {
        GET => meetings::handlers::list_types,
        POST => meetings::handlers::add_type,
    },
    "/api/v1/session-types/{type_id}" => {
        PATCH => meetings::handlers::update_type,
        DELETE => meetings::handlers::remove_type,
    },
    "/api/v1/meetings/{meeting_id}/proposals" => {
        GET => proposals::handlers::list_proposals,
        POST => proposals::handlers::create_proposal,
    },
    "/api/v1/proposals/{proposal_id}" => {
        GET => proposals::handlers::get_proposal,
        PATCH => proposals::handlers::update_proposal,
    },
    "/api/v1/proposals/{proposal_id}/submit" => { POST => proposals::handlers::submit_proposal },
    "/api/v1/proposals/{proposal_id}/withdraw" => { POST => proposals::handlers::withdraw_proposal },
    "/api/v1/proposals/{proposal_id}/screening" => { GET => proposals::handlers::get_screening },
    "/api/v1/users/{user_id}/evaluator-profile" => {
        GET => evaluation::handlers::get_evaluator_profile,
        PUT => evaluation::handlers::put_evaluator_profile,
    },
    "/api/v1/proposals/{proposal_id}/conflicts" => { POST => evaluation::handlers::declare_conflict },
    "/api/v1/meetings/{meeting_id}/evaluators" => {
        GET => evaluation::handlers::list_committee,
        POST => evaluation::handlers::add_to_committee,
    },
    "/api/v1/meetings/{meeting_id}/evaluators/{user_id}" => { DELETE => evaluation::handlers::remove_from_committee },
    "/api/v1/meetings/{meeting_id}/evaluation/assignments" => {
        GET => evaluation::handlers::list_assignments,
        POST => evaluation::handlers::run_assignment,
    },
    "/api/v1/meetings/{meeting_id}/evaluation" => {
        GET => evaluation::handlers::get_evaluation,
        PATCH => evaluation::handlers::update_evaluation,
    },
    "/api/v1/proposals/{proposal_id}/score" => {
        GET => evaluation::handlers::get_score,
        PUT => evaluation::handlers::put_score,
    },
    "/api/v1/meetings/{meeting_id}/evaluation/scores" => { GET => evaluation::handlers::list_scores },
    "/api/v1/meetings/{meeting_id}/evaluation/results" => { GET => evaluation::handlers::get_results },
    "/api/v1/meetings/{meeting_id}/evaluation/report" => { GET => selection::handlers::get_report },
    "/api/v1/meetings/{meeting_id}/selection" => { POST => selection::handlers::run_selection },
    "/api/v1/meetings/{meeting_id}/selection/{run_id}" => { GET => selection::handlers::get_selection },
    "/api/v1/meetings/{meeting_id}/decisions" => {
        GET => selection::handlers::list_decisions,
        POST => selection::handlers::record_decisions,
    },
    "/api/v1/meetings/{meeting_id}/sessions" => {
        GET => sessions::handlers::list_sessions,
        POST => sessions::handlers::create_session,
    },
    "/api/v1/meetings/{meeting_id}/sessions/from-selection" => { POST => sessions::handlers::sessions_from_selection },
    "/api/v1/sessions/{session_id}" => {
        GET => sessions::handlers::get_session,
        PATCH => sessions::handlers::update_session,
    },
    "/api/v1/sessions/{session_id}/merge" => { POST => sessions::handlers::merge_sessions },
    "/api/v1/meetings/{meeting_id}/schedules" => {
        GET => scheduling::handlers::list_versions,
        POST => scheduling::handlers::start_job,
    },
    "/api/v1/meetings/{meeting_id}/scheduling-rules" => {
        GET => scheduling::handlers::get_rules,
        PATCH => scheduling::handlers::update_rules,
    },
    "/api/v1/meetings/{meeting_id}/schedule-jobs" => { GET => scheduling::handlers::list_jobs },
    "/api/v1/meetings/{meeting_id}/messages" => { GET => notify::handlers::list_messages },
    "/api/v1/messages" => { GET => notify::handlers::list_account_messages },
    "/api/v1/meetings/{meeting_id}/webhooks" => {
        GET => notify::handlers::list_webhooks,
        POST => notify::handlers::create_webhook,
    },
    "/api/v1/webhooks/{webhook_id}" => {
        GET => notify::handlers::get_webhook,
        PATCH => notify::handlers::update_webhook,
        DELETE => notify::handlers::delete_webhook,
    },
    "/api/v1/webhooks/{webhook_id}/deliveries" => { GET => notify::handlers::list_deliveries },
    "/api/v1/webhooks/{webhook_id}/messages/{message_id}/redeliver" => {
        POST => notify::handlers::redeliver,
    },
    "/api/v1/meetings/{meeting_id}/logistics" => {
        GET => scheduling::handlers::get_logistics,
        PUT => scheduling::handlers::put_logistics,
    },
    "/api/v1/schedules/{version_id}/logistics" => { GET => scheduling::handlers::logistics_sheet },
    "/api/v1/schedule-jobs/{job_id}" => {
        GET => scheduling::handlers::get_job,
        DELETE => scheduling::handlers::cancel_job,
    },
    "/api/v1/schedules/{version_id}" => { GET => scheduling::handlers::get_version },
    "/api/v1/schedules/{version_id}/publish" => { POST => scheduling::handlers::publish_version },
    "/api/v1/schedules/{version_id}/moves" => { POST => scheduling::handlers::move_sessions },
    "/api/v1/schedules/{version_id}/diff" => { GET => scheduling::handlers::diff_versions },
    "/api/v1/meetings/{meeting_id}/programme" => { GET => scheduling::handlers::get_programme },
    "/api/v1/meetings/{meeting_id}/exports/proposals" => { GET => exports::handlers::proposals },
    "/api/v1/meetings/{meeting_id}/exports/assignments" => { GET => exports::handlers::assignments },
    "/api/v1/meetings/{meeting_id}/exports/scores" => { GET => exports::handlers::scores },
    "/api/v1/meetings/{meeting_id}/exports/results" => { GET => exports::handlers::results },
    "/api/v1/meetings/{meeting_id}/exports/decisions" => { GET => exports::handlers::decisions },
    "/api/v1/meetings/{meeting_id}/exports/programme" => { GET => exports::handlers::programme },
    "/api/v1/meetings/{meeting_id}/schedule.json" => {
        GET => feeds::handlers::schedule_json,
        HEAD => feeds::handlers::schedule_json,
    },
    "/api/v1/meetings/{meeting_id}/schedule.xml" => {
        GET => feeds::handlers::schedule_xml,
        HEAD => feeds::handlers::schedule_xml,
    },
    "/api/v1/meetings/{meeting_id}/programme.ics" => {
        GET => feeds::handlers::programme_ics,
        HEAD => feeds::handlers::programme_ics,
    },
    "/api/v1/meetings/{meeting_id}/unavailability" => {
        GET => scheduling::handlers::availability::list,
        POST => scheduling::handlers::availability::add,
    },
    "/api/v1/unavailability/{unavailability_id}" => { DELETE => scheduling::handlers::availability::remove },
    "/api/v1/meetings/{meeting_id}/hubs" => {
        GET => scheduling::handlers::hubs::list,
        POST => scheduling::handlers::hubs::create,
    },
    "/api/v1/hubs/{hub_id}/sessions" => { PUT => scheduling::handlers::hubs::set_sessions },
    "/api/v1/hubs/{hub_id}/agenda" => { GET => scheduling::handlers::hubs::agenda },
    "/api/v1/hubs/{hub_id}/calendar.ics" => {
        GET => scheduling::handlers::hubs::calendar,
        HEAD => scheduling::handlers::hubs::calendar,
    },
    "/api/v1/meetings/{meeting_id}/bilateral-rooms" => {
        GET => bilaterals::handlers::rooms,
        POST => bilaterals::handlers::create_room,
    },
    "/api/v1/bilateral-rooms/{bilateral_room_id}" => {
        PATCH => bilaterals::handlers::update_room,
        DELETE => bilaterals::handlers::delete_room,
    },
    "/api/v1/meetings/{meeting_id}/bilateral-times" => { GET => bilaterals::handlers::times },
    "/api/v1/meetings/{meeting_id}/bilateral-bookings" => {
        GET => bilaterals::handlers::list,
        POST => bilaterals::handlers::book,
    },
    "/api/v1/bilateral-bookings/{booking_id}" => {
        GET => bilaterals::handlers::get,
        DELETE => bilaterals::handlers::cancel,
    },
    "/api/v1/bilateral-bookings/{booking_id}/calendar.ics" => {
        GET => bilaterals::handlers::calendar,
        HEAD => bilaterals::handlers::calendar,
    },
    "/api/v1/meetings/{meeting_id}/agendas" => { POST => feeds::handlers::agendas::create },
    "/api/v1/agendas/{token}" => {
        GET => feeds::handlers::agendas::get,
        DELETE => feeds::handlers::agendas::revoke,
    },
    "/api/v1/agendas/{token}/sessions/{session_id}" => {
        PUT => feeds::handlers::agendas::add_session,
        DELETE => feeds::handlers::agendas::remove_session,
    },
    "/api/v1/agendas/{token}/rotate" => { POST => feeds::handlers::agendas::rotate },
    "/api/v1/agendas/{token}/calendar.ics" => {
        GET => feeds::handlers::agendas::calendar_ics,
        HEAD => feeds::handlers::agendas::calendar_ics,
    },
    "/api/v1/meetings/{meeting_id}/reports" => { GET => reports::handlers::list_reports },
    "/api/v1/meetings/{meeting_id}/reports/summary" => { GET => reports::handlers::report_summary },
    "/api/v1/sessions/{session_id}/reports/{kind}" => {
        GET => reports::handlers::get_report,
        PUT => reports::handlers::save_report,
    },
    "/api/v1/sessions/{session_id}/reports/{kind}/submit" => { POST => reports::handlers::submit_report },
    "/api/v1/sessions/{session_id}/reports/{kind}/review" => { POST => reports::handlers::review_report },
    "/api/v1/audit" => { GET => audit::handlers::list_audit },
}

async fn method_not_allowed(req: HttpRequest) -> HttpResponse {
    let pattern = req.match_pattern().unwrap_or_default();
    let allow: Vec<&str> = ROUTES
        .iter()
        .filter(|(_, p)| *p == pattern)
        .map(|(m, _)| *m)
        .collect();
    let mut resp = actix_web::ResponseError::error_response(&ApiError::MethodNotAllowed);
    if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&allow.join(", ")) {
        resp.headers_mut().insert(actix_web::http::header::ALLOW, v);
    }
    resp
}

/// The answer for a path no route matches.
pub async fn route_not_found(req: actix_web::HttpRequest) -> Result<HttpResponse, ApiError> {
    let browser = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if browser && !req.path().starts_with("/api/") {
        // A browser that follows a wrong link gets the pages' 404, not a problem.
        return Ok(crate::web::pages::not_found());
    }
    Err(ApiError::RouteNotFound)
}
