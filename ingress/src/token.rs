//! Outgoing-webhook token check: constant time, against every accepted token.

use curfew_shared::Redacted;
use subtle::ConstantTimeEq;

/// The accepted tokens (`CURFEW_JANDI_TOKENS`): several at once, so a token
/// can be rotated without downtime. `Debug` never prints them ([`Redacted`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens(Redacted<Vec<Vec<u8>>>);

impl Tokens {
    /// From the comma-separated variable; blanks around and between are ignored.
    pub fn parse(list: &str) -> Option<Self> {
        let tokens: Vec<Vec<u8>> = list
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| t.as_bytes().to_vec())
            .collect();
        (!tokens.is_empty()).then(|| Self(Redacted::new(tokens)))
    }

    /// Whether `candidate` is one of the tokens. Every token is compared in
    /// constant time and none short-circuits, so timing reveals neither which
    /// token matched nor how much of one did (only a length mismatch is quick).
    pub fn accepts(&self, candidate: &str) -> bool {
        let candidate = candidate.as_bytes();
        let matched = self
            .0
            .expose()
            .iter()
            .fold(subtle::Choice::from(0), |any, token| {
                any | token.as_slice().ct_eq(candidate)
            });
        matched.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_any_listed_token_and_nothing_else() {
        let tokens = Tokens::parse(" old-token , new-token,, ").unwrap();
        assert!(tokens.accepts("old-token"));
        assert!(tokens.accepts("new-token"));
        assert!(!tokens.accepts("new-toke"));
        assert!(!tokens.accepts("new-tokenX"));
        assert!(!tokens.accepts(""));
        assert!(!tokens.accepts(" new-token"));
    }

    #[test]
    fn an_empty_list_is_no_list() {
        assert_eq!(Tokens::parse(" , ,"), None);
        assert_eq!(Tokens::parse(""), None);
    }

    #[test]
    fn debug_hides_the_tokens() {
        let text = format!("{:?}", Tokens::parse("s3cret").unwrap());
        assert!(!text.contains("s3cret"), "{text}");
    }
}
