//! Use cases: each combines `domain` rules and `store` queries in one transaction, for the web
//! handlers and the CLI alike. `Services` is what they all share: configuration, database, secret
//! key, metrics.

pub mod org;

use std::sync::Arc;

use crate::config::Config;
use crate::error::Result;
use crate::secret::Secret;
use crate::store::{Db, DbOptions};
use crate::web::metrics::Metrics;

#[derive(Clone)]
pub struct Services {
    pub config: Arc<Config>,
    pub db: Db,
    pub secret: Secret,
    pub metrics: Metrics,
}

impl Services {
    /// Connects to the database (failing fast), applies pending migrations and loads the secret.
    pub fn open(config: Config) -> Result<Services> {
        let db = connect(&config)?;
        let applied = db.migrate()?;
        if applied > 0 {
            tracing::info!(applied, database = %db.target().display(), "migrations applied");
        }
        let secret = Secret::load_or_create(&config)?;
        Ok(Services { config: Arc::new(config), db, secret, metrics: Metrics::new() })
    }
}

/// The database of a configuration, without migrating.
pub fn connect(config: &Config) -> Result<Db> {
    let opts = DbOptions {
        pool_size: config.database.pool_size,
        busy_timeout_ms: config.database.busy_timeout_ms,
        connect_timeout_secs: config.database.connect_timeout_secs,
        create_dir: config.database_is_default(),
    };
    Db::connect(&config.database_url(), &opts)
}
