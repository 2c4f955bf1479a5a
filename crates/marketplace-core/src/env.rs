//! The one reading of configuration environment variables, for the clients' explicit `from_env()`
//! constructors and the CLI (libraries never read the environment implicitly).

/// The value of `name`, or `None` when it is unset, not UTF-8, empty or only whitespace (an
/// exported-but-empty variable means "not set", as in the official clients).
pub fn non_empty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Like [`non_empty`] for values that are paths (which need not be UTF-8).
pub fn non_empty_os(name: &str) -> Option<std::ffi::OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_empty_and_blank_are_none() {
        // A variable name no one sets; the process environment is shared, so only read it.
        assert_eq!(non_empty("MKT_TEST_SURELY_UNSET_VARIABLE_9F2C"), None);
        assert_eq!(non_empty_os("MKT_TEST_SURELY_UNSET_VARIABLE_9F2C"), None);
        assert!(non_empty("PATH").is_some());
    }
}
