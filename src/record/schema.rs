//! The JSON Schema (draft 2020-12) of the case record, generated from the
//! program's input declarations: what `lsa schema` prints.

use serde_json::{json, Map, Value as Json};

use crate::check::ir::Labelled;
use crate::check::Program;
use crate::lang::Lang;
use crate::value::Type;

/// The schema of a case record for `program`.
pub fn json_schema(program: &Program) -> Json {
    let mut properties = Map::new();
    properties.insert("case".into(), json!({ "type": ["string", "integer"], "description": "case id, echoed in the output (default: the file name)" }));
    properties.insert(
        "as_of".into(),
        json!({ "type": "string", "format": "date", "description": "evaluation date: wins over --as-of; without it, --as-of, else today" }),
    );
    for input in &program.inputs {
        let mut s = schema_of(program, &input.ty);
        describe(&mut s, &input.doc);
        words(program, &mut s, &input.name);
        properties.insert(input.name.clone(), s);
    }
    let mut defs = Map::new();
    for (i, r) in program.records.iter().enumerate() {
        // Where the record's fields sit in the case record, for their words
        // (a record type used in more than one place has none).
        let place = program.record_place(crate::value::RecordId(i as u32));
        let mut props = Map::new();
        for f in &r.fields {
            let mut s = schema_of(program, &f.ty);
            limit(program, &mut s, &f.constraints);
            describe(&mut s, &f.doc);
            if let Some(place) = &place {
                words(program, &mut s, &format!("{place}.{}", f.name));
            }
            props.insert(f.name.clone(), s);
        }
        let mut rs =
            json!({ "type": "object", "properties": props, "additionalProperties": false });
        describe(&mut rs, &r.doc);
        defs.insert(r.name.clone(), rs);
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "lsa case record",
        "description": "A case record: absent fields are unknown; null is allowed only for optional fields and means there is none.",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
        "$defs": defs,
        // The law the schema was generated from (JSON Schema ignores
        // keywords it does not know).
        "x-lsa-law": crate::explain::law_json(&program.provenance),
    })
}

/// A field's constraints in the schema: `minimum`/`maximum` for numbers and
/// percentages, `pattern` for texts (limits on dates and amounts are checked
/// by lsa; JSON Schema has no words for them).
fn limit(program: &Program, schema: &mut Json, constraints: &[crate::check::Constraint]) {
    use crate::check::Constraint;
    use crate::value::Value;
    // The schema of the value itself (an optional field's is the first alternative).
    let target = match schema.get_mut("anyOf").and_then(|a| a.get_mut(0)) {
        Some(t) => t,
        None => schema,
    };
    let Json::Object(map) = target else {
        return;
    };
    for c in constraints {
        match c {
            Constraint::Between(low, high) => {
                let number = |v: &Value| match v {
                    Value::Integer(i) => Some(json!(i)),
                    Value::Decimal(d) | Value::Percent(d) => {
                        crate::explain::json_value(program, &Value::Decimal(*d))
                            .as_number()
                            .map(|n| Json::Number(n.clone()))
                    }
                    _ => None,
                };
                if let (Some(l), Some(h)) = (number(low), number(high)) {
                    map.insert("minimum".into(), l);
                    map.insert("maximum".into(), h);
                }
            }
            Constraint::Matching { pattern, .. } => {
                map.insert("pattern".into(), Json::String(format!("^(?:{pattern})$")));
            }
        }
    }
}

/// What a caseworker reads for the section or field at `path`, as the
/// rules' labels give it, for a form built from the schema: `title` (the
/// English label) and `x-lsa-words` (in each language the label and the
/// question that asks for the fact). JSON Schema ignores keywords it does
/// not know.
fn words(program: &Program, schema: &mut Json, path: &str) {
    let what = Labelled::Path(path.to_string());
    let mut by_lang = Map::new();
    for lang in [Lang::Lt, Lang::En] {
        if let Some(w) = program.labels.get(&what, lang) {
            let mut m = Map::new();
            m.insert("label".into(), Json::from(&*w.label));
            if let Some(ask) = &w.ask {
                m.insert("question".into(), Json::from(&**ask));
            }
            by_lang.insert(lang.code().into(), Json::Object(m));
        }
    }
    let Json::Object(map) = schema else {
        return;
    };
    if let Some(en) = program.labels.label(&what, Lang::En) {
        map.insert("title".into(), Json::from(en));
    }
    if !by_lang.is_empty() {
        map.insert("x-lsa-words".into(), Json::Object(by_lang));
    }
}

fn describe(schema: &mut Json, doc: &str) {
    if let (Json::Object(map), false) = (schema, doc.is_empty()) {
        map.insert("description".into(), Json::String(doc.to_string()));
    }
}

fn schema_of(program: &Program, ty: &Type) -> Json {
    match ty {
        Type::Optional(inner) => {
            json!({ "anyOf": [schema_of(program, inner), { "type": "null" }] })
        }
        Type::Bool => json!({ "type": "boolean" }),
        Type::Integer => json!({ "type": "integer" }),
        Type::Decimal => json!({ "type": "number" }),
        Type::Percent => {
            json!({ "type": "number", "description": "a percentage: 12.5 for 12.5 %" })
        }
        Type::Money => json!({ "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)? [A-Z]{3}$" }),
        Type::Text => json!({ "type": "string" }),
        Type::Date => {
            json!({ "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" })
        }
        Type::DateTime => {
            json!({ "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$" })
        }
        Type::Duration => {
            json!({ "type": "string", "pattern": "^[0-9]+ (hours?|days?|working days?|weeks?|months?|years?)$" })
        }
        Type::Enum(e) => {
            let variants = program
                .enums
                .get(e.0 as usize)
                .map(|e| e.variants.clone())
                .unwrap_or_default();
            // Each value's label in each language (`x-lsa-values`), for a
            // form's choices.
            let mut by_lang = Map::new();
            for lang in [Lang::Lt, Lang::En] {
                let labels: Map<String, Json> = (0..variants.len())
                    .filter_map(|v| {
                        let what = Labelled::Value(*e, v as u32);
                        let label = program.labels.label(&what, lang)?;
                        Some((variants.get(v)?.clone(), Json::from(label)))
                    })
                    .collect();
                if !labels.is_empty() {
                    by_lang.insert(lang.code().into(), Json::Object(labels));
                }
            }
            let mut s = json!({ "enum": variants });
            if let (Json::Object(m), false) = (&mut s, by_lang.is_empty()) {
                m.insert("x-lsa-values".into(), Json::Object(by_lang));
            }
            s
        }
        Type::Record(r) => {
            json!({ "$ref": format!("#/$defs/{}", program.record(*r).map(|r| r.name.as_str()).unwrap_or("?")) })
        }
        Type::List(inner) => json!({ "type": "array", "items": schema_of(program, inner) }),
        Type::Error => json!({}),
    }
}
