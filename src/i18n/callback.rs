//! The page a browser shows after it brings an authorization back to Renova's loopback
//! listener: one sentence for what happened, in English and in Portuguese (the browser's
//! language is not known, and the page is read once).

use crate::core::callback::Page;
use crate::i18n::{Lang, T};

/// The page, as HTML.
pub(crate) fn page(page: Page) -> String {
    let text = match page {
        Page::Done => T::PageDone,
        Page::Denied => T::PageDenied,
        Page::WrongState => T::PageWrongState,
        Page::NotFound => T::PageNotFound,
        Page::NotAllowed => T::PageNotAllowed,
        Page::Bad => T::PageBad,
    };
    let (en, pt) = (text.tr(Lang::En), text.tr(Lang::PtBr));
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Renova</title>\
         <style>body{{font-family:sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#123}}\
         h1{{color:#0b6e70;font-size:1.4rem}}</style></head><body><h1>Renova</h1><p>{en}</p>\
         <p lang=\"pt-BR\">{pt}</p></body></html>"
    )
}
