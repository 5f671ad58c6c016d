//! One client set per (target, region) pair (SPEC §5 Targets), built on
//! first use and kept for the life of the process: a warm Lambda assumes a
//! role once an hour, not once a tick.
//!
//! A target with a `role` is reached through STS AssumeRole (the SDK's own
//! `AssumeRoleProvider`, session name `curfew-worker`), its credentials
//! cached here until [`REFRESH_BEFORE`] their expiry and shared by the
//! target's regions. The pair without a role in the worker's own region is
//! the worker's own fleet: a deployment without targets makes no STS call.

use super::{AwsFleet, TagKeys};
use crate::limits::REFRESH_BEFORE;
use aws_config::sts::AssumeRoleProvider;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;
use aws_smithy_types::error::display::DisplayErrorContext;
use curfew_shared::ports::{CallError, Class, Fleet, FleetError, Fleets, PortFuture};
use curfew_shared::target::Pair;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;
use tokio::sync::Mutex;

/// The session name AssumeRole records in the member account's CloudTrail.
pub const SESSION_NAME: &str = "curfew-worker";

/// Every pair's fleet, built from the worker's own SDK configuration.
#[derive(Debug)]
pub struct AwsFleets {
    base: aws_config::SdkConfig,
    tags: TagKeys,
    home_region: String,
    home: Arc<AwsFleet>,
    fleets: Mutex<HashMap<String, Arc<AwsFleet>>>,
    roles: Mutex<HashMap<String, SharedCredentialsProvider>>,
}

impl AwsFleets {
    pub fn new(base: &aws_config::SdkConfig, tags: TagKeys) -> Self {
        let home_region = base.region().map(ToString::to_string).unwrap_or_default();
        Self {
            home: Arc::new(AwsFleet::new(base, tags.clone())),
            base: base.clone(),
            tags,
            home_region,
            fleets: Mutex::new(HashMap::new()),
            roles: Mutex::new(HashMap::new()),
        }
    }

    /// The pair's fleet: the worker's own, or one built (and kept) for it.
    pub async fn fleet(&self, pair: &Pair) -> Result<Arc<AwsFleet>, FleetError> {
        if pair.role.is_none() && pair.region == self.home_region {
            return Ok(Arc::clone(&self.home));
        }
        let key = pair.key();
        if let Some(fleet) = self.fleets.lock().await.get(&key) {
            return Ok(Arc::clone(fleet));
        }
        let mut sdk = self
            .base
            .to_builder()
            .region(aws_config::Region::new(pair.region.clone()));
        if let Some(role) = &pair.role {
            let credentials = self.credentials(role).await;
            // Asked now, so a role that cannot be assumed fails here, named,
            // rather than as the first describe's "failed to sign".
            credentials
                .provide_credentials()
                .await
                .map_err(|e| assume_failed(pair, role, &e))?;
            sdk = sdk
                .credentials_provider(credentials)
                .identity_cache(aws_config::identity::IdentityCache::no_cache());
        }
        let fleet = Arc::new(
            AwsFleet::new(&sdk.build(), self.tags.clone()).labelled(pair.label(&self.home_region)),
        );
        self.fleets.lock().await.insert(key, Arc::clone(&fleet));
        Ok(fleet)
    }

    /// The role's cached credentials provider (one per role, whatever the region).
    async fn credentials(&self, role: &str) -> SharedCredentialsProvider {
        let mut roles = self.roles.lock().await;
        if let Some(provider) = roles.get(role) {
            return provider.clone();
        }
        let assume = AssumeRoleProvider::builder(role)
            .session_name(SESSION_NAME)
            .configure(&self.base)
            .build()
            .await;
        let provider = SharedCredentialsProvider::new(Cached::new(assume));
        roles.insert(role.to_owned(), provider.clone());
        provider
    }
}

/// The port: the pair's fleet behind `dyn Fleet`.
impl Fleets for AwsFleets {
    fn fleet<'a>(&'a self, pair: &'a Pair) -> PortFuture<'a, Result<Arc<dyn Fleet>, FleetError>> {
        Box::pin(async move {
            let fleet: Arc<dyn Fleet> = Self::fleet(self, pair).await?;
            Ok(fleet)
        })
    }

    fn home_region(&self) -> &str {
        &self.home_region
    }
}

/// A role that cannot be assumed: permanent unless STS itself timed out or
/// throttled (then the next try may pass).
fn assume_failed(pair: &Pair, role: &str, error: &CredentialsError) -> FleetError {
    let message = DisplayErrorContext(error).to_string();
    let transient = matches!(error, CredentialsError::ProviderTimedOut(_))
        || message.contains("Throttl")
        || message.contains("dispatch failure");
    let class = if transient {
        Class::Transient
    } else {
        Class::Permanent
    };
    let text = format!(
        "target {} ({}): the role {role} could not be assumed: {message}",
        pair.target, pair.region
    );
    FleetError {
        ids: Vec::new(),
        source: CallError {
            operation: "AssumeRole",
            class,
            code: None,
            message: text.clone(),
            source: Box::new(std::io::Error::other(text)),
        },
    }
}

/// Credentials kept until [`REFRESH_BEFORE`] they expire, then fetched
/// again: the lock makes concurrent callers wait for one refresh.
#[derive(Debug)]
struct Cached<P> {
    inner: P,
    current: Mutex<Option<Credentials>>,
}

impl<P: ProvideCredentials> Cached<P> {
    fn new(inner: P) -> Self {
        Self {
            inner,
            current: Mutex::new(None),
        }
    }

    async fn get(&self) -> aws_credential_types::provider::Result {
        let mut current = self.current.lock().await;
        let fresh_until = SystemTime::now() + REFRESH_BEFORE;
        if let Some(credentials) = current.as_ref() {
            if credentials.expiry().is_none_or(|e| e > fresh_until) {
                return Ok(credentials.clone());
            }
        }
        let credentials = self.inner.provide_credentials().await?;
        *current = Some(credentials.clone());
        Ok(credentials)
    }
}

impl<P: ProvideCredentials> ProvideCredentials for Cached<P> {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// Hands out credentials expiring `lasting` from now, counting the calls.
    #[derive(Debug)]
    struct Counting {
        lasting: Duration,
        calls: AtomicUsize,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            future::ProvideCredentials::ready(Ok(Credentials::new(
                format!("AKIA{n}"),
                "secret",
                None,
                Some(SystemTime::now() + self.lasting),
                "test",
            )))
        }
    }

    fn counting(lasting: Duration) -> Cached<Counting> {
        Cached::new(Counting {
            lasting,
            calls: AtomicUsize::new(0),
        })
    }

    #[tokio::test]
    async fn credentials_are_kept_while_they_have_long_to_live() {
        let cached = counting(Duration::from_secs(3600));
        let first = cached.provide_credentials().await.unwrap();
        let second = cached.provide_credentials().await.unwrap();
        assert_eq!(first.access_key_id(), second.access_key_id());
        assert_eq!(cached.inner.calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn credentials_near_their_expiry_are_fetched_again() {
        let cached = counting(REFRESH_BEFORE / 2);
        cached.provide_credentials().await.unwrap();
        let again = cached.provide_credentials().await.unwrap();
        assert_eq!(again.access_key_id(), "AKIA1");
        assert_eq!(cached.inner.calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_denied_role_is_permanent_and_named() {
        let pair = Pair {
            target: "stage".into(),
            region: "us-east-1".into(),
            role: Some("arn:aws:iam::123456789012:role/curfew-spoke".into()),
        };
        let role = pair.role.clone().unwrap();
        let error = assume_failed(
            &pair,
            &role,
            &CredentialsError::provider_error("AccessDenied: not authorized"),
        );
        assert_eq!(error.class(), Class::Permanent);
        let text = error.to_string();
        assert!(text.contains("target stage (us-east-1)"), "{text}");
        assert!(text.contains("curfew-spoke could not be assumed"), "{text}");
        let slow = assume_failed(
            &pair,
            &role,
            &CredentialsError::provider_timed_out(Duration::from_secs(5)),
        );
        assert_eq!(slow.class(), Class::Transient);
    }
}
