//! The wording of [`Error::Api`](super::Error::Api) per HTTP status.

/// The class of an HTTP status, for the wording of [`Error::Api`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StatusKind {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Validation,
    RateLimited,
    Server,
    Other,
}

impl StatusKind {
    pub(super) fn of(status: u16) -> Self {
        match status {
            400 => StatusKind::BadRequest,
            401 => StatusKind::Unauthorized,
            403 => StatusKind::Forbidden,
            404 => StatusKind::NotFound,
            409 => StatusKind::Conflict,
            422 => StatusKind::Validation,
            429 => StatusKind::RateLimited,
            500..=599 => StatusKind::Server,
            _ => StatusKind::Other,
        }
    }

    pub(super) fn prefix(self) -> &'static str {
        match self {
            StatusKind::BadRequest => "bad request: ",
            StatusKind::Unauthorized => "not authenticated: ",
            StatusKind::Forbidden => "forbidden: ",
            StatusKind::NotFound => "not found: ",
            StatusKind::Conflict => "conflict: ",
            StatusKind::Validation => "validation failed: ",
            StatusKind::RateLimited => "rate limited: ",
            StatusKind::Server => "server error: ",
            StatusKind::Other => "unexpected response: ",
        }
    }

    pub(super) fn suffix(self) -> &'static str {
        match self {
            StatusKind::Unauthorized => "; check the credentials",
            StatusKind::Forbidden => "; check the credentials and permissions",
            StatusKind::RateLimited => "; wait and try again",
            StatusKind::Server => "; try again later",
            _ => "",
        }
    }
}
