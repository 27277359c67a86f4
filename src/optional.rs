//! How optional request fields read `null`: [`present`] for a field that may be left
//! out but not sent as `null` (the API's spec does not allow it). It imports nothing of
//! the crate, so that any request type may use it.

/// For an optional request field that may be left out but not sent as `null`: with
/// `#[serde(default, deserialize_with = "crate::optional::present")]` a missing field
/// is `None` and a `null` is refused as the wrong type, as the API's spec says.
pub fn present<'de, T: serde::Deserialize<'de>, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}
