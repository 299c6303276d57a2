//! Use cases and read models: each use case combines `domain` rules and `store` queries in one
//! transaction; each read model gathers what one page, email or report shows into a plain struct.
//! The web handlers and the CLI both call these, never the store directly. `Services` is what they
//! all share: configuration, database, secret key, caches, metrics.

pub mod alerts;
pub mod audit;
pub mod calendars;
pub mod cases;
pub mod deployment;
pub mod desk;
pub mod feedback;
pub mod links;
pub mod ops;
pub mod org;
pub mod reports;
pub mod staff;

use std::sync::Arc;

use crate::config::Config;
use crate::domain::survey::Survey;
use crate::error::{Error, Result};
use crate::metrics::Metrics;
use crate::secret::Secret;
use crate::store::{Db, DbOptions};
use crate::t;

#[derive(Clone)]
pub struct Services {
    pub config: Arc<Config>,
    pub db: Db,
    pub secret: Secret,
    pub metrics: Metrics,
    pub survey: Arc<Survey>,
    /// Which answers the report rollups count (from the survey).
    pub shape: Arc<crate::domain::rollup::Shape>,
    /// The handling deadlines (`[sla]`), as the domain's rules.
    pub sla: Arc<crate::domain::sla::Rules>,
    pub desks: Arc<desk::DeskCache>,
    /// Organisation rows for planning new cases' routing (see `cases::MemoCache`).
    pub plans: Arc<cases::MemoCache>,
    calendars: Arc<std::sync::RwLock<Arc<calendars::Calendars>>>,
    /// The base of every link (see `deployment`).
    base: Arc<std::sync::RwLock<deployment::PublicUrl>>,
}

impl Services {
    /// Connects to the database (failing fast), applies pending migrations and loads the secret.
    pub fn open(config: Config) -> Result<Services> {
        let db = connect(&config)?;
        let applied = db.migrate()?.len();
        if applied > 0 {
            tracing::info!(applied, database = %db.target().display(), "migrations applied");
        }
        let secret = Secret::load_or_create(&config)?;
        let cals = db.read(|c| calendars::Calendars::load(c, &config.sla.default_calendar))?;
        calendars::check_default(&cals)?;
        let survey = load_survey(&config)?;
        let base = deployment::resolve(&config, deployment::recorded(&db)?);
        let sla = Arc::new(config.sla.rules());
        let desk_cache_seconds = config.citizen.desk_cache_seconds;
        Ok(Services {
            config: Arc::new(config),
            db,
            secret,
            metrics: Metrics::new(),
            shape: Arc::new(crate::domain::rollup::Shape::of(&survey)),
            survey: Arc::new(survey),
            sla,
            desks: Arc::new(desk::DeskCache::new(std::time::Duration::from_secs(desk_cache_seconds))),
            plans: Arc::new(cases::MemoCache::new(std::time::Duration::from_secs(desk_cache_seconds))),
            calendars: Arc::new(std::sync::RwLock::new(Arc::new(cals))),
            base: Arc::new(std::sync::RwLock::new(base)),
        })
    }
}

/// Applies pending migrations; returns their versions (oldest first) and the database.
pub fn migrate(config: &Config) -> Result<(Vec<String>, String)> {
    let db = connect(config)?;
    let applied = db.migrate()?;
    Ok((applied, db.target().display()))
}

/// A consistent copy of the live SQLite database into `dest` (never overwritten).
pub fn backup(config: &Config, dest: &std::path::Path) -> Result<()> {
    crate::store::backup_sqlite(&connect(config)?, dest)
}

/// The database of a configuration, without migrating.
pub fn connect(config: &Config) -> Result<Db> {
    let opts = DbOptions {
        pool_size: config.database.pool_size,
        busy_timeout_ms: config.database.busy_timeout_ms,
        synchronous: config.database.sqlite_synchronous,
        connect_timeout_secs: config.database.connect_timeout_secs,
        create_dir: config.database_is_default(),
    };
    Db::connect(&config.database_url(), &opts)
}

impl Services {
    /// The base of links (QR codes, posters, emails), without a trailing slash.
    pub fn public_url(&self) -> String {
        self.base.read().unwrap_or_else(|p| p.into_inner()).url.clone()
    }

    /// The base and where it came from.
    pub fn public_url_full(&self) -> deployment::PublicUrl {
        self.base.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn public_url_source(&self) -> deployment::Source {
        self.base.read().unwrap_or_else(|p| p.into_inner()).source
    }

    pub(crate) fn set_public_url(&self, u: deployment::PublicUrl) {
        *self.base.write().unwrap_or_else(|p| p.into_inner()) = u;
    }

    /// The calendars in force (a snapshot: cheap to clone into a transaction).
    pub fn calendars(&self) -> Arc<calendars::Calendars> {
        self.calendars.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn reload_calendars(&self) -> Result<()> {
        let fresh = self.db.read(|c| calendars::Calendars::load(c, &self.config.sla.default_calendar))?;
        *self.calendars.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(fresh);
        // Cached desks hold their calendar.
        self.org_changed();
        Ok(())
    }

    /// The organisation changed in this process: forget what was cached from it.
    pub fn org_changed(&self) {
        self.desks.clear();
        self.plans.clear();
    }
}

/// The configured survey, or the built-in one.
pub fn load_survey(config: &Config) -> Result<Survey> {
    match &config.citizen.survey_file {
        None => Ok(Survey::default_survey()),
        Some(path) => {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| {
                Error::Invalid(t!(
                    "Không đọc được tệp câu hỏi {shown}: {e}",
                    "Cannot read the survey file {shown}: {e}"
                ))
            })?;
            Survey::parse(&text).map_err(|m| {
                let (vi, en) = (m.vi, m.en);
                Error::Invalid(t!("{shown}: {vi}", "{shown}: {en}"))
            })
        }
    }
}

/// Runs blocking work (a database call, a file) off the async threads; a panic in it is resumed.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => Err(Error::Other(anyhow::anyhow!("blocking task: {e}"))),
    }
}

#[cfg(test)]
mod tests;
