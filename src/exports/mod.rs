//! Spreadsheets for the committee: a list a role may read, under the list's own
//! filters and privacy rules, as CSV or as XLSX.

pub mod handlers;
pub mod tables;

use serde::Deserialize;

use crate::error::ApiError;

/// The file a table is written as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Comma-separated values, UTF-8 with a header line.
    #[default]
    Csv,
    /// An Excel workbook of one sheet, the header row frozen and filtered.
    Xlsx,
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A number.
    Num(f64),
    /// Yes or no.
    Bool(bool),
    /// Nothing.
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Int(n)
    }
}

impl From<i32> for Cell {
    fn from(n: i32) -> Cell {
        Cell::Int(n.into())
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Cell {
        Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<f64> for Cell {
    fn from(n: f64) -> Cell {
        Cell::Num(n)
    }
}

impl From<bool> for Cell {
    fn from(b: bool) -> Cell {
        Cell::Bool(b)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// Rows under named columns, as a list answer holds them.
#[derive(Debug, Clone)]
pub struct Table {
    /// What the rows are (the sheet's and the file's name).
    pub name: String,
    /// Column names.
    pub headers: Vec<String>,
    /// Rows, each as long as `headers`.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with these columns.
    pub fn new(name: &str, headers: &[&str]) -> Table {
        Table {
            name: name.to_string(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: vec![],
        }
    }

    /// Adds a row (as long as the headers).
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.headers.len(), "a row of {}", self.name);
        self.rows.push(row);
    }
}

/// A text as a spreadsheet cell that cannot start a formula: one that opens with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe.
pub fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The table as CSV with a header line: yes/no for booleans, numbers as written by
/// Rust, texts made inert.
pub fn csv(t: &Table) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::Writer::from_writer(vec![]);
    let fail = |e: csv::Error| ApiError::Internal(e.into());
    w.write_record(&t.headers).map_err(fail)?;
    for r in &t.rows {
        w.write_record(r.iter().map(|c| match c {
            Cell::Text(s) => inert(s),
            Cell::Int(n) => n.to_string(),
            Cell::Num(n) => n.to_string(),
            Cell::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
            Cell::Empty => String::new(),
        }))
        .map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))
}

/// Excel's longest text in one cell.
const XLSX_MAX_TEXT: usize = 32_767;

/// The table as an XLSX workbook of one sheet: texts as texts (never formulas),
/// numbers as numbers, booleans as booleans; the header row bold, frozen and
/// filtered; columns fitted to their contents.
pub fn xlsx(t: &Table) -> Result<Vec<u8>, ApiError> {
    use rust_xlsxwriter::{Format as Style, Workbook, XlsxError};
    let fail = |e: XlsxError| ApiError::Internal(anyhow::anyhow!("writing XLSX: {e}"));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(&t.name)).map_err(fail)?;
    let bold = Style::new().set_bold();
    for (col, h) in t.headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, column(col)?, h, &bold)
            .map_err(fail)?;
    }
    for (i, r) in t.rows.iter().enumerate() {
        let row = u32::try_from(i + 1)
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("too many rows for XLSX")))?;
        for (col, c) in r.iter().enumerate() {
            let col = column(col)?;
            match c {
                Cell::Text(s) if s.chars().count() > XLSX_MAX_TEXT => {
                    let cut: String = s.chars().take(XLSX_MAX_TEXT).collect();
                    sheet.write_string(row, col, cut)
                }
                Cell::Text(s) => sheet.write_string(row, col, s),
                Cell::Int(n) => sheet.write_number(row, col, *n as f64),
                Cell::Num(n) => sheet.write_number(row, col, *n),
                Cell::Bool(b) => sheet.write_boolean(row, col, *b),
                Cell::Empty => continue,
            }
            .map_err(fail)?;
        }
    }
    if !t.headers.is_empty() {
        let last_row = u32::try_from(t.rows.len()).unwrap_or(u32::MAX);
        sheet
            .autofilter(0, 0, last_row, column(t.headers.len() - 1)?)
            .map_err(fail)?;
        sheet.set_freeze_panes(1, 0).map_err(fail)?;
    }
    sheet.autofit();
    book.save_to_buffer().map_err(fail)
}

fn column(i: usize) -> Result<u16, ApiError> {
    u16::try_from(i).map_err(|_| ApiError::Internal(anyhow::anyhow!("too many columns")))
}

/// A worksheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if clean.is_empty() {
        "export".into()
    } else {
        clean
    }
}

/// A table written as a file: its bytes, type and name.
#[derive(Debug)]
pub struct Download {
    /// The file's bytes.
    pub body: Vec<u8>,
    /// Its media type.
    pub content_type: &'static str,
    /// The name offered to save it under.
    pub filename: String,
}

/// The table written in `format`, named `{stem}.csv` or `{stem}.xlsx`.
pub fn write(t: &Table, format: Format, stem: &str) -> Result<Download, ApiError> {
    Ok(match format {
        Format::Csv => Download {
            body: csv(t)?,
            content_type: "text/csv; charset=utf-8",
            filename: format!("{stem}.csv"),
        },
        Format::Xlsx => Download {
            body: xlsx(t)?,
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename: format!("{stem}.xlsx"),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut t = Table::new("proposals", &["id", "title", "mean", "hybrid", "theme"]);
        t.push(vec![
            7.into(),
            "=HYPERLINK(\"x\")".into(),
            3.5.into(),
            true.into(),
            Cell::Empty,
        ]);
        t
    }

    #[test]
    fn csv_makes_formulas_inert_and_writes_yes_no() {
        let text = String::from_utf8(csv(&table()).unwrap()).unwrap();
        assert_eq!(
            text,
            "id,title,mean,hybrid,theme\n7,\"'=HYPERLINK(\"\"x\"\")\",3.5,yes,\n"
        );
    }

    #[test]
    fn xlsx_is_a_zip_workbook_and_sheet_names_are_cleaned() {
        let bytes = xlsx(&table()).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        assert_eq!(sheet_name("a/b:c*d?e[f]g\\h"), "abcdefgh");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
        assert_eq!(sheet_name("///"), "export");
    }
}
