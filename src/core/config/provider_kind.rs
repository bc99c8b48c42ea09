//! Which provider an account is, and where its token goes in a request: a static token's
//! kinds never refresh, and RD Station CRM v1 takes its token in the query.

use serde::{Deserialize, Serialize};

/// The providers Renova knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ProviderKind {
    /// RD Station Marketing.
    #[default]
    #[serde(rename = "rdstation")]
    RdStation,
    /// RD Station CRM v2 (rotating refresh tokens).
    #[serde(rename = "rdstation-crm")]
    RdStationCrm,
    /// Any RFC 6749 provider.
    #[serde(rename = "oauth2")]
    OAuth2,
    /// A static token pasted by the person: no refresh, sent as Bearer.
    #[serde(rename = "static")]
    Static,
    /// RD Station CRM v1: a static instance token, sent as the `token` query parameter.
    #[serde(rename = "rdstation-crm-v1")]
    RdStationCrmV1,
    /// RD Station Conversas API v2: a static JWT, sent as Bearer.
    #[serde(rename = "rdstation-conversas")]
    RdStationConversas,
}

/// Where a token goes in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPlacement {
    /// `Authorization: Bearer …`.
    Bearer,
    /// A query parameter of this name (RD Station CRM v1's `?token=`).
    Query(&'static str),
}

impl TokenPlacement {
    /// Whether the token can be given as an `Authorization` header (the window's "Copy as
    /// header", `--format header|headers-json`).
    pub fn takes_header(self) -> bool {
        self == TokenPlacement::Bearer
    }
}

impl ProviderKind {
    /// The id used in `accounts.toml` and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            ProviderKind::RdStation => "rdstation",
            ProviderKind::RdStationCrm => "rdstation-crm",
            ProviderKind::OAuth2 => "oauth2",
            ProviderKind::Static => "static",
            ProviderKind::RdStationCrmV1 => "rdstation-crm-v1",
            ProviderKind::RdStationConversas => "rdstation-conversas",
        }
    }

    /// All providers, in the order the window lists them.
    pub const ALL: [ProviderKind; 6] = [
        ProviderKind::RdStation,
        ProviderKind::RdStationCrm,
        ProviderKind::OAuth2,
        ProviderKind::Static,
        ProviderKind::RdStationCrmV1,
        ProviderKind::RdStationConversas,
    ];

    /// A static credential: pasted by the person, never refreshed, replaced by hand.
    pub fn is_static(self) -> bool {
        matches!(
            self,
            ProviderKind::Static | ProviderKind::RdStationCrmV1 | ProviderKind::RdStationConversas
        )
    }

    /// Where its token goes in a request.
    pub fn placement(self) -> TokenPlacement {
        match self {
            ProviderKind::RdStationCrmV1 => TokenPlacement::Query("token"),
            _ => TokenPlacement::Bearer,
        }
    }
}
