//! Pages of a list: the `page` and `per_page` a client asks for, checked, and the page
//! of results with its total that every list answers.

use crate::error::{ApiError, FieldError};

/// Page selection for list endpoints: `page` from 1, `per_page` from 1 to 200.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// 1-based page number.
    pub page: i64,
    /// Items per page.
    pub per_page: i64,
}

impl Page {
    /// Most items one page may hold.
    pub const MAX_PER_PAGE: i64 = 200;

    /// Validates page parameters (defaults: page 1, 50 per page).
    pub fn new(page: Option<i64>, per_page: Option<i64>) -> Result<Page, ApiError> {
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(50);
        let mut errors = vec![];
        if !(1..=1_000_000).contains(&page) {
            errors.push(FieldError::new(
                "page",
                "range",
                "page must be between 1 and 1000000",
            ));
        }
        if !(1..=Self::MAX_PER_PAGE).contains(&per_page) {
            errors.push(FieldError::new(
                "per_page",
                "range",
                "per_page must be between 1 and 200",
            ));
        }
        if errors.is_empty() {
            Ok(Page { page, per_page })
        } else {
            Err(ApiError::validation(errors))
        }
    }

    /// Rows to skip.
    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    /// This page of a result of `total` items.
    pub fn of<T>(&self, items: Vec<T>, total: i64) -> Paginated<T> {
        Paginated {
            items,
            page: self.page,
            per_page: self.per_page,
            total,
        }
    }
}

/// Every item a paginated use case lists: `read(page, per_page)` is asked for one page
/// after another until a page comes back short or the total is reached.
pub fn every<T>(
    mut read: impl FnMut(i64, i64) -> Result<Paginated<T>, crate::error::ApiError>,
) -> Result<Vec<T>, crate::error::ApiError> {
    const PER_PAGE: i64 = 100;
    let mut out = vec![];
    for page in 1.. {
        let got = read(page, PER_PAGE)?;
        let n = got.items.len() as i64;
        out.extend(got.items);
        if n < PER_PAGE || out.len() as i64 >= got.total {
            break;
        }
    }
    Ok(out)
}

/// A page of results with the total count.
#[derive(Debug, serde::Serialize)]
pub struct Paginated<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// This page's number.
    pub page: i64,
    /// Page size.
    pub per_page: i64,
    /// Items across all pages.
    pub total: i64,
}
