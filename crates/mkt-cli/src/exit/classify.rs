//! From library errors to exit codes and hints: the libraries classify (`is_auth`,
//! `is_not_found`, ...), [`Class::code`] is the one table from classes to codes, and
//! [`library_hint`] holds the CLI advice (flags, commands, variables) library texts leave out.

use super::{AUTH, FAILED, NOT_FOUND, USAGE, VALIDATION};

/// How a library classifies one of its errors (its `is_auth`, `is_not_found`, ... methods),
/// which [`Class::code`] turns into the exit code: the one table from error classes to codes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Class {
    /// A signed storage link was refused (never a credentials problem).
    pub link_refused: bool,
    /// Credentials (or the key file) are missing or were rejected.
    pub auth: bool,
    /// Something asked for does not exist.
    pub not_found: bool,
    /// Local validation rejected the input.
    pub validation: bool,
    /// The arguments do not fit together.
    pub usage: bool,
}

impl Class {
    /// The exit code of this class.
    pub fn code(self) -> u8 {
        if self.link_refused {
            FAILED
        } else if self.auth {
            AUTH
        } else if self.not_found {
            NOT_FOUND
        } else if self.validation {
            VALIDATION
        } else if self.usage {
            USAGE
        } else {
            FAILED
        }
    }
}

/// A library error type the CLI classifies.
pub trait Classify {
    /// The error's class, from the library's own classification methods.
    fn class(&self) -> Class;
}

impl Classify for marketplace_core::Error {
    fn class(&self) -> Class {
        Class {
            link_refused: self.is_link_refused(),
            auth: self.is_auth(),
            not_found: self.is_not_found(),
            ..Class::default()
        }
    }
}

impl Classify for numerbay_client::Error {
    fn class(&self) -> Class {
        use numerbay_client::Error as E;
        // A sealed order's key file is a credential too.
        let key_problem = matches!(
            self,
            E::KeyFileRequired { .. }
                | E::Crypto(artifact_crypto::Error::KeyMismatch { .. })
                | E::Crypto(artifact_crypto::Error::Authentication { .. })
        );
        Class {
            link_refused: self.is_link_refused(),
            auth: self.is_auth() || key_problem,
            not_found: self.is_not_found(),
            validation: false,
            usage: matches!(
                self,
                E::OrderNotApplicable { .. } | E::OrderProductMismatch { .. } | E::InvalidRequest { .. }
            ),
        }
    }
}

impl Classify for crowdcent_client::Error {
    fn class(&self) -> Class {
        Class {
            link_refused: self.is_link_refused(),
            auth: self.is_auth(),
            not_found: self.is_not_found(),
            validation: self.is_validation(),
            usage: false,
        }
    }
}

impl Classify for numerbay_client::AutopilotError {
    fn class(&self) -> Class {
        let client = self.client().map(Classify::class).unwrap_or_default();
        Class {
            link_refused: client.link_refused,
            // A product the caller does not own (403) is fatal: only its owner can fix it.
            auth: client.auth
                || self.is_auth()
                || (self.is_fatal() && !self.is_not_found() && !self.is_locked()),
            not_found: self.is_not_found(),
            validation: self.is_validation(),
            usage: client.usage,
        }
    }
}

/// The exit code of an error that a library classified.
pub fn code_of(e: &impl Classify) -> u8 {
    e.class().code()
}

/// The exit code of a library error found in a cause chain, `None` for other errors.
pub(super) fn library_code(cause: &(dyn std::error::Error + 'static)) -> Option<u8> {
    if let Some(e) = cause.downcast_ref::<marketplace_core::Error>() {
        return Some(code_of(e));
    }
    if let Some(e) = cause.downcast_ref::<numerbay_client::Error>() {
        return Some(code_of(e));
    }
    if let Some(e) = cause.downcast_ref::<crowdcent_client::Error>() {
        return Some(code_of(e));
    }
    cause
        .downcast_ref::<numerbay_client::AutopilotError>()
        .map(code_of)
}

/// The CLI's advice for a library error: the flags, commands and environment variables that fix
/// it (library error texts stay in library terms and name none of them).
pub(super) fn library_hint(cause: &(dyn std::error::Error + 'static)) -> Option<&'static str> {
    if let Some(e) = cause.downcast_ref::<numerbay_client::AutopilotError>() {
        use numerbay_client::AutopilotError as A;
        return match e {
            A::PredictionsMissing { .. } => Some("check --predictions"),
            A::State { .. } => Some("check --state-file and that its directory is writable"),
            A::StateParse { .. } => Some("delete the file or pass another --state-file"),
            _ => e.client().and_then(|c| library_hint(c)),
        };
    }
    if let Some(e) = cause.downcast_ref::<numerbay_client::Error>() {
        use numerbay_client::Error as E;
        return match e {
            E::MissingEnv { .. } => Some("set it in the environment or in ./.env"),
            E::ProductNotFound { near, .. } if near.is_empty() => {
                Some("check the name with `mkt numerbay search`")
            }
            E::OrderNotFound { .. } => Some("check the id with `mkt numerbay orders`"),
            E::OrderNotApplicable { .. } => Some("upload without --order-id"),
            E::ArtifactProductUnknown { .. } => Some("pass the product too (--product or --product-id)"),
            E::Crypto(c) => library_hint(c),
            E::Frame(f) => library_hint(f),
            _ => None,
        };
    }
    if let Some(e) = cause.downcast_ref::<crowdcent_client::Error>() {
        use crowdcent_client::Error as E;
        return match e {
            E::MissingApiKey => {
                Some("set CROWDCENT_API_KEY or put it in a .env file in the working directory")
            }
            E::ChallengeNotFound { .. } => Some("run `mkt crowdcent challenges` to list them"),
            E::Frame(f) => library_hint(f.as_ref()),
            _ => None,
        };
    }
    if let Some(e) = cause.downcast_ref::<artifact_crypto::Error>() {
        return match e {
            artifact_crypto::Error::KeyFileFormat { .. } => {
                Some("export the key file again from the NumerBay web app, or run `mkt keys generate`")
            }
            artifact_crypto::Error::AlreadyExists { .. } => Some("pass --force to replace it"),
            _ => None,
        };
    }
    match cause.downcast_ref::<frame_io::Error>() {
        Some(frame_io::Error::UnknownFormat { .. }) => Some("pass --format csv|parquet"),
        _ => None,
    }
}
