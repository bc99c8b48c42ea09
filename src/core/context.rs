//! [`Context`]: what every operation runs with — the store, HTTP, and the Postman client. The
//! facade ([`crate::core::renova::Renova`]) owns one; operations take it by reference and take
//! the account they act on, never a name to look up again.

use crate::core::callback::PageText;
use crate::core::http::Http;
use crate::core::postman::PostmanApi;
use crate::core::store::Store;

/// The parts an operation needs.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    /// Where accounts are kept.
    pub store: Store,
    /// HTTP to providers.
    pub http: Http,
    /// Postman's API.
    pub postman: PostmanApi,
    /// The words of the page the browser is shown after an authorization.
    pub pages: PageText,
}
