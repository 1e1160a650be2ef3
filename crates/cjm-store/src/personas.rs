//! The persona library shared by the maps of a workspace.

use cjm_model::Persona;
use rusqlite::{OptionalExtension, params};

use crate::error::{Result, StoreError};
use crate::workspace::{Workspace, now};

impl Workspace {
    /// Adds a persona to the library; its `id` must be new.
    pub fn create_persona(&self, persona: &Persona) -> Result<()> {
        validate_persona(persona)?;
        let json = persona_json(persona)?;
        self.db().write(|tx| {
            if tx
                .prepare_cached("SELECT 1 FROM personas WHERE slug = ?1")?
                .exists([&persona.id])?
            {
                return Err(StoreError::Duplicate(format!(
                    "a persona with id {:?}",
                    persona.id
                )));
            }
            let now = now();
            tx.prepare_cached(
                "INSERT INTO personas (slug, name, json, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
            )?
            .execute(params![persona.id, persona.name, json, now])?;
            Ok(())
        })
    }

    /// The persona with this id.
    pub fn get_persona(&self, id: &str) -> Result<Persona> {
        let json: String = self.db().read(|conn| {
            conn.prepare_cached("SELECT json FROM personas WHERE slug = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("persona {id:?}")))
        })?;
        parse_persona(&json)
    }

    /// All personas of the library, by name.
    pub fn list_personas(&self) -> Result<Vec<Persona>> {
        let rows: Vec<String> = self.db().read(|conn| {
            let mut stmt = conn.prepare_cached("SELECT json FROM personas ORDER BY name, slug")?;
            let rows = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })?;
        rows.iter().map(|json| parse_persona(json)).collect()
    }

    /// Replaces the persona with the same id.
    pub fn update_persona(&self, persona: &Persona) -> Result<()> {
        validate_persona(persona)?;
        let json = persona_json(persona)?;
        self.db().write(|tx| {
            let n = tx
                .prepare_cached(
                    "UPDATE personas SET name = ?2, json = ?3, updated_at = ?4 WHERE slug = ?1",
                )?
                .execute(params![persona.id, persona.name, json, now()])?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("persona {:?}", persona.id)));
            }
            Ok(())
        })
    }

    /// Removes a persona from the library (maps keep their own copies).
    pub fn delete_persona(&self, id: &str) -> Result<()> {
        self.db().write(|tx| {
            let n = tx
                .prepare_cached("DELETE FROM personas WHERE slug = ?1")?
                .execute([id])?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("persona {id:?}")));
            }
            Ok(())
        })
    }
}

fn validate_persona(persona: &Persona) -> Result<()> {
    if persona.id.trim().is_empty()
        || persona.id.len() > 200
        || persona.id.chars().any(char::is_control)
    {
        return Err(StoreError::Invalid(format!(
            "persona id {:?} is not usable: give 1 to 200 bytes without control characters",
            persona.id
        )));
    }
    if persona.name.trim().is_empty() {
        return Err(StoreError::Invalid(format!(
            "persona {:?} has no name",
            persona.id
        )));
    }
    Ok(())
}

fn persona_json(persona: &Persona) -> Result<String> {
    serde_json::to_string(persona)
        .map_err(|e| StoreError::Invalid(format!("the persona cannot be written as JSON: {e}")))
}

fn parse_persona(json: &str) -> Result<Persona> {
    serde_json::from_str(json).map_err(|e| StoreError::corrupt_json("persona", e))
}
