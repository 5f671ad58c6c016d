//! A value that must never reach a log line: tokens, webhook URLs (their
//! path is a secret token). `Debug` prints `<redacted>` instead of the
//! value, so a struct that holds one can derive `Debug` and be logged whole.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `T`, with a `Debug` that never shows it. Read it with [`Self::expose`]
/// (a name that is easy to find in review).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Redacted<T>(T);

impl<T> Redacted<T> {
    pub const fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself, for the one place that must use it.
    pub const fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> From<T> for Redacted<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T> std::fmt::Debug for Redacted<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// As the value itself on the wire (the JANDI payload's `token`).
impl<T: Serialize> Serialize for Redacted<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Redacted<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self)
    }
}

/// Parsed like the value (a command-line flag).
impl<T: std::str::FromStr> std::str::FromStr for Redacted<T> {
    type Err = T::Err;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.parse().map(Self)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::Redacted;

    #[test]
    fn debug_never_shows_the_value_and_serde_sees_only_the_value() {
        let secret = Redacted::new("s3cr3t".to_owned());
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&secret)), "Some(<redacted>)");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"s3cr3t\"");
        let back: Redacted<String> = serde_json::from_str("\"s3cr3t\"").unwrap();
        assert_eq!(back.expose(), "s3cr3t");
        let parsed: Redacted<String> = "flag".parse().unwrap();
        assert_eq!(parsed, Redacted::new("flag".to_owned()));
    }
}
