//! How an adapter's failure is told to the layers above: what failed, and
//! whether trying again later may help ([`Class`]). No SDK type appears:
//! the adapter keeps its SDK error as the boxed `source`.

/// Whether a failure may succeed if tried again later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Throttling, a 5xx, a timeout, a connection that failed: retry later.
    Transient,
    /// Access denied, a validation error, corrupt data: retrying cannot help.
    Permanent,
}

impl Class {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Transient => "transient",
            Self::Permanent => "permanent",
        }
    }
}

impl std::fmt::Display for Class {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed call to a service: the operation, the service's error code,
/// its class, and the original error as `source`. Its text is safe to log
/// and to show in chat (it names operations and resources, never secrets).
#[derive(Debug, thiserror::Error)]
#[error("{operation} failed ({class}{}): {message}", code.as_deref().map(|c| format!(", {c}")).unwrap_or_default())]
pub struct CallError {
    pub operation: &'static str,
    pub class: Class,
    /// The service's error code, e.g. `RequestLimitExceeded`, `AccessDenied`.
    pub code: Option<String>,
    pub message: String,
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

/// A storage failure, naming the operation. Never carries item contents.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("DynamoDB {0}")]
    Call(#[source] CallError),
    /// An item curfew cannot read: permanent until someone mends it.
    #[error("the stored schedule {name:?} cannot be read: {message}")]
    Corrupt { name: String, message: String },
}

impl StoreError {
    /// Whether a later try may succeed.
    pub const fn class(&self) -> Class {
        match self {
            Self::Call(error) => error.class,
            Self::Corrupt { .. } => Class::Permanent,
        }
    }
}
