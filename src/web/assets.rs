//! The pages' own stylesheet and script, built into the binary and served under names
//! that carry a hash of their content, so that browsers and caches may keep them for a
//! year: a new build with a changed file has a new name.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

/// A file served under `/static/`.
pub struct Asset {
    /// Its name with the content hash, e.g. `site.3f2a9c1e.css`.
    pub name: String,
    body: &'static [u8],
    content_type: &'static str,
    etag: String,
}

fn asset(stem: &str, ext: &str, body: &'static [u8], content_type: &'static str) -> Asset {
    let digest = Sha256::digest(body);
    let hash: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    Asset {
        name: format!("{stem}.{hash}.{ext}"),
        body,
        content_type,
        etag: format!("\"{hash}\""),
    }
}

/// The stylesheet.
pub static CSS: LazyLock<Asset> = LazyLock::new(|| {
    asset(
        "site",
        "css",
        include_bytes!("../../static/site.css"),
        "text/css; charset=utf-8",
    )
});

/// The script, which only improves pages that work without it.
pub static JS: LazyLock<Asset> = LazyLock::new(|| {
    asset(
        "programme",
        "js",
        include_bytes!("../../static/programme.js"),
        "text/javascript; charset=utf-8",
    )
});

/// The working pages' script: live screening and rows of people on the proposal form,
/// drag and drop on the schedule board, a running job followed in place. Every page
/// works without it.
pub static DESK_JS: LazyLock<Asset> = LazyLock::new(|| {
    asset(
        "desk",
        "js",
        include_bytes!("../../static/desk.js"),
        "text/javascript; charset=utf-8",
    )
});

/// The site's icon, which browsers show in tabs and bookmarks.
pub static ICON: LazyLock<Asset> = LazyLock::new(|| {
    asset(
        "icon",
        "svg",
        include_bytes!("../../static/icon.svg"),
        "image/svg+xml",
    )
});

/// `GET /static/{name}`: a file by its hashed name, cacheable for a year.
pub async fn serve(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    let Some(a) = [&*CSS, &*JS, &*DESK_JS, &*ICON]
        .into_iter()
        .find(|a| a.name == *name)
    else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("not found");
    };
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == a.etag));
    let mut resp = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    resp.insert_header((header::ETAG, a.etag.clone()))
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"));
    if fresh {
        return resp.finish();
    }
    resp.content_type(a.content_type).body(a.body)
}
