//! Account and site-wide calls: `users/me`, `globals/`, `categories/`.

use marketplace_types::numerbay::{Category, Globals, User};

use crate::client::NumerBay;
use crate::error::Result;

impl NumerBay {
    /// The logged-in user (`GET users/me`). Also a cheap way to check the credentials.
    ///
    /// # Errors
    /// [`Error::CredentialsRequired`](crate::Error::CredentialsRequired) without credentials; an
    /// auth error (`is_auth()`) when the login is rejected; transport errors.
    pub async fn me(&self) -> Result<User> {
        self.require_login("account")?;
        Ok(self.http.get("users/me").send_json().await?)
    }

    /// Site globals, including the selling round (`GET globals/`, no login).
    ///
    /// # Errors
    /// Transport and API errors.
    pub async fn globals(&self) -> Result<Globals> {
        Ok(self.http.get("globals/").no_auth().send_json().await?)
    }

    /// All product categories (`GET categories/`, no login).
    ///
    /// # Errors
    /// Transport and API errors.
    pub async fn categories(&self) -> Result<Vec<Category>> {
        Ok(self.http.get("categories/").no_auth().send_json().await?)
    }
}
