//! The public pages: the list of meetings, each meeting's published programme and each
//! session, rendered on the server from templates checked at compile time. They read
//! through the same use cases as the API and the feeds ([`crate::scheduling::versions`],
//! [`crate::feeds::service`]), are rendered once per change and filter set, and carry
//! ETags like the feeds. The script in `static/` only improves pages that work without
//! it (it picks the visitor's own zone).

pub mod account;
pub mod agenda;
pub mod assets;
pub mod bilaterals;
pub mod desk;
pub mod evaluator;
pub mod exports;
pub mod forms;
pub mod hub;
pub mod manage;
pub mod messages;
pub mod now;
pub mod pages;
pub mod proposer;
pub mod recovery;
pub mod report;
pub mod reports;

pub mod service;
pub mod summary;
pub mod words;
pub mod zones;

use actix_web::web;

/// A page's route: a path segment that does not parse (a meeting id that is not a
/// number) is the 404 page, as a missing meeting is.
fn page_resource(path: &str) -> actix_web::Resource {
    web::resource(path).app_data(web::PathConfig::default().error_handler(|err, _| {
        actix_web::error::InternalError::from_response(err, pages::not_found()).into()
    }))
}

/// Registers the page routes (the API's are in [`crate::routes`]); each page answers
/// GET and HEAD, each form POST. The working pages live under [`desk::ROOT`].
pub fn configure(cfg: &mut web::ServiceConfig) {
    desk_routes(cfg);
    cfg.service(
        page_resource("/static/{name}")
            .route(web::get().to(assets::serve))
            .route(web::head().to(assets::serve)),
    )
    .service(
        page_resource("/meetings/{meeting_id}")
            .route(web::get().to(pages::programme))
            .route(web::head().to(pages::programme)),
    )
    .service(
        page_resource("/meetings/{meeting_id}/rooms/{room_id}")
            .route(web::get().to(pages::room))
            .route(web::head().to(pages::room)),
    )
    .service(
        page_resource("/meetings/{meeting_id}/themes/{theme_id}")
            .route(web::get().to(pages::theme))
            .route(web::head().to(pages::theme)),
    )
    .service(
        page_resource("/meetings/{meeting_id}/people/{name}")
            .route(web::get().to(pages::person))
            .route(web::head().to(pages::person)),
    )
    .service(
        page_resource("/hubs/{hub_id}")
            .route(web::get().to(pages::hub))
            .route(web::head().to(pages::hub)),
    )
    .service(
        page_resource("/meetings/{meeting_id}/now")
            .route(web::get().to(pages::now))
            .route(web::head().to(pages::now)),
    )
    .service(
        page_resource("/meetings/{meeting_id}/call")
            .route(web::get().to(proposer::call))
            .route(web::head().to(proposer::call)),
    )
    .service(
        page_resource("/meetings/{meeting_id}/report")
            .route(web::get().to(pages::report))
            .route(web::head().to(pages::report)),
    )
    .service(
        page_resource("/meetings/{meeting_id}/reports")
            .route(web::get().to(pages::summary))
            .route(web::head().to(pages::summary)),
    )
    .service(
        page_resource("/meetings/{meeting_id}/agenda")
            .route(web::get().to(pages::agenda_page))
            .route(web::head().to(pages::agenda_page))
            .route(web::post().to(pages::star)),
    )
    .service(
        page_resource("/meetings/{meeting_id}/sessions/{session_id}")
            .route(web::get().to(pages::session))
            .route(web::head().to(pages::session)),
    )
    .service(
        page_resource("/meetings/{meeting_id}/sessions/{session_id}/calendar.ics")
            .route(web::get().to(pages::session_ics))
            .route(web::head().to(pages::session_ics)),
    );
}

/// The working pages: accounts, the proposer's and the evaluator's.
fn desk_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        page_resource("/desk")
            .route(web::get().to(account::home))
            .route(web::head().to(account::home)),
    )
    .service(
        page_resource("/desk/sign-in")
            .route(web::get().to(account::sign_in_form))
            .route(web::head().to(account::sign_in_form))
            .route(web::post().to(account::sign_in)),
    )
    .service(
        page_resource("/desk/register")
            .route(web::get().to(account::register_form))
            .route(web::head().to(account::register_form))
            .route(web::post().to(account::register)),
    )
    .service(
        page_resource("/desk/confirm")
            .route(web::get().to(recovery::confirm_form))
            .route(web::head().to(recovery::confirm_form))
            .route(web::post().to(recovery::confirm)),
    )
    .service(
        page_resource("/desk/forgot")
            .route(web::get().to(recovery::forgot_form))
            .route(web::head().to(recovery::forgot_form))
            .route(web::post().to(recovery::forgot)),
    )
    .service(
        page_resource("/desk/reset")
            .route(web::get().to(recovery::reset_form))
            .route(web::head().to(recovery::reset_form))
            .route(web::post().to(recovery::reset)),
    )
    .service(page_resource("/desk/sign-out").route(web::post().to(account::sign_out)))
    .service(
        page_resource("/desk/account")
            .route(web::get().to(account::account))
            .route(web::head().to(account::account)),
    )
    .service(
        page_resource("/desk/account/password").route(web::post().to(account::change_password)),
    )
    .service(
        page_resource("/desk/account/sign-out-everywhere")
            .route(web::post().to(account::sign_out_everywhere)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/proposals")
            .route(web::get().to(proposer::list))
            .route(web::head().to(proposer::list)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/proposals/new")
            .route(web::get().to(proposer::new_form))
            .route(web::head().to(proposer::new_form))
            .route(web::post().to(proposer::create)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/proposals/check")
            .route(web::post().to(proposer::check_new)),
    )
    .service(
        page_resource("/desk/proposals/{proposal_id}")
            .route(web::get().to(proposer::show))
            .route(web::head().to(proposer::show))
            .route(web::post().to(proposer::save)),
    )
    .service(
        page_resource("/desk/proposals/{proposal_id}/check").route(web::post().to(proposer::check)),
    )
    .service(
        page_resource("/desk/proposals/{proposal_id}/withdraw")
            .route(web::post().to(proposer::withdraw)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/evaluation")
            .route(web::get().to(evaluator::list))
            .route(web::head().to(evaluator::list)),
    )
    .service(
        page_resource("/desk/evaluation/proposals/{proposal_id}")
            .route(web::get().to(evaluator::show))
            .route(web::head().to(evaluator::show)),
    )
    .service(
        page_resource("/desk/evaluation/proposals/{proposal_id}/score")
            .route(web::post().to(evaluator::score)),
    )
    .service(
        page_resource("/desk/evaluation/proposals/{proposal_id}/conflict")
            .route(web::post().to(evaluator::conflict)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/bilaterals")
            .route(web::get().to(bilaterals::show))
            .route(web::head().to(bilaterals::show))
            .route(web::post().to(bilaterals::book)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/reports")
            .route(web::get().to(reports::list))
            .route(web::head().to(reports::list)),
    )
    .service(
        page_resource("/desk/sessions/{session_id}/reports/{kind}")
            .route(web::get().to(reports::show))
            .route(web::head().to(reports::show))
            .route(web::post().to(reports::post)),
    )
    .service(
        page_resource("/desk/bilaterals/{booking_id}/cancel")
            .route(web::post().to(bilaterals::cancel)),
    )
    .service(
        page_resource("/desk/bilaterals/{booking_id}/calendar.ics")
            .route(web::get().to(bilaterals::calendar)),
    );
    manage_routes(cfg);
}

/// The secretariat's pages of a meeting.
fn manage_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        page_resource("/desk/meetings/{meeting_id}/manage")
            .route(web::get().to(manage::dashboard::dashboard))
            .route(web::head().to(manage::dashboard::dashboard)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/phase")
            .route(web::post().to(manage::dashboard::phase)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/messages")
            .route(web::get().to(messages::meeting))
            .route(web::head().to(messages::meeting)),
    )
    .service(
        page_resource("/desk/messages")
            .route(web::get().to(messages::accounts))
            .route(web::head().to(messages::accounts)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/exports/{what}")
            .route(web::get().to(exports::download))
            .route(web::head().to(exports::download)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/proposals")
            .route(web::get().to(manage::proposals::proposals))
            .route(web::head().to(manage::proposals::proposals)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/evaluation")
            .route(web::get().to(manage::evaluation::evaluation_view))
            .route(web::head().to(manage::evaluation::evaluation_view)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/assignment")
            .route(web::post().to(manage::evaluation::assign)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/committee")
            .route(web::post().to(manage::evaluation::add_members)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/committee/{user_id}/remove")
            .route(web::post().to(manage::evaluation::remove_member)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/results")
            .route(web::get().to(manage::results::results))
            .route(web::head().to(manage::results::results)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/selection")
            .route(web::get().to(manage::selection::selection_view))
            .route(web::head().to(manage::selection::selection_view))
            .route(web::post().to(manage::selection::select)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/decisions")
            .route(web::post().to(manage::selection::decide)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/board")
            .route(web::get().to(manage::board::board))
            .route(web::head().to(manage::board::board)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/board/moves")
            .route(web::post().to(manage::board::move_session)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/board/pins")
            .route(web::post().to(manage::board::pin)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/board/jobs")
            .route(web::post().to(manage::board::start)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/jobs/{job_id}")
            .route(web::get().to(manage::jobs::job))
            .route(web::head().to(manage::jobs::job)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/jobs/{job_id}/cancel")
            .route(web::post().to(manage::jobs::cancel)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/board/publish")
            .route(web::post().to(manage::board::publish)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/board/diff")
            .route(web::get().to(manage::board::diff))
            .route(web::head().to(manage::board::diff)),
    )
    .service(
        page_resource("/desk/meetings/{meeting_id}/manage/setup")
            .route(web::get().to(manage::setup::setup))
            .route(web::head().to(manage::setup::setup)),
    )
    .service(
        page_resource(
            "/desk/meetings/{meeting_id}/manage/{part:rooms|themes|types|days|slots|services|teams|bilaterals}",
        )
        .route(web::post().to(manage::setup::add)),
    )
    .service(
        page_resource(
            "/desk/meetings/{meeting_id}/manage/{part:rooms|themes|types|days|teams|bilaterals}/{id}",
        )
        .route(web::post().to(manage::setup::edit)),
    )
    .service(
        page_resource(
            "/desk/meetings/{meeting_id}/manage/{part:rooms|themes|types|days|slots|teams|bilaterals}/{id}/remove",
        )
        .route(web::post().to(manage::setup::remove)),
    );
}
