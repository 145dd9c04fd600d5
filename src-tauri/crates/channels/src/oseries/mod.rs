//! Lightspeed O-Series (Kounta): OAuth with the deep link, then the
//! company's orders paged by the `X-Page` request header (from 0) up to the
//! `X-Pages` response header. Lists come in creation (`id`) order, not by
//! change time, so a walk's high-water mark is only reported on its last
//! page: a crash mid-walk then re-reads from the old mark instead of
//! skipping later pages. Facts from `shared/reference/channel-apis.md` §8.

pub mod client;
pub mod normalize;
pub mod writes;
