//! Turns what a person types (`'Нан;250;2;16'`, `cash:1000`, `10%`) into the core's
//! JSON inputs. Amounts go straight from text to tiyn; floats never appear.

use anyhow::{Context, Result, bail};
use sauda::domain::{MeasureUnit, Money, Quantity};
use serde_json::{Value, json};

pub fn tiyn(text: &str) -> Result<i64> {
    Ok(Money::parse_tenge(text)?.tiyn())
}

/// `10%` → percent in thousandths; `150.00` → a fixed amount.
pub fn adjustment(kind: &str, text: &str) -> Result<Value> {
    let text = text.trim();
    if let Some(p) = text.strip_suffix('%') {
        let milli = Quantity::parse(p.trim())
            .with_context(|| format!("'{text}' is not a percentage like 10% or 2.5%"))?
            .thousandths();
        Ok(json!({"kind": kind, "percent_milli": milli}))
    } else {
        Ok(json!({"kind": kind, "amount_tiyn": tiyn(text)?}))
    }
}

/// `-10%` or `-100` is a discount, `+5%` or `+20` a markup.
fn signed_adjustment(text: &str) -> Result<Value> {
    match text.trim().chars().next() {
        Some('-') => adjustment("discount", &text.trim()[1..]),
        Some('+') => adjustment("markup", &text.trim()[1..]),
        _ => bail!("'{text}' must start with - (discount) or + (markup), like -10% or +50"),
    }
}

/// `2`, `1.5кг`, `0,75 kg`: a quantity and the unit it counts, pieces when none.
fn quantity_and_unit(text: &str) -> Result<(Quantity, Option<String>)> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let unit = unit.trim();
    if !unit.is_empty() && MeasureUnit::parse(unit).is_none() {
        bail!(
            "'{unit}' is not a unit: write the quantity like 2, 1.5кг or 0.5л (units: {})",
            MeasureUnit::all()
                .map(MeasureUnit::russian)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok((
        Quantity::parse(number)?,
        (!unit.is_empty()).then(|| unit.to_string()),
    ))
}

/// 'NAME;PRICE;QTY[UNIT][;VAT][;SECTION][;ADJUSTMENT]'.
pub fn item(spec: &str) -> Result<Value> {
    let fields: Vec<&str> = spec.split(';').map(str::trim).collect();
    if fields.len() < 3 || fields.len() > 6 {
        bail!(
            "item '{spec}' must be 'NAME;PRICE;QTY[UNIT][;VAT][;SECTION][;ADJUSTMENT]', e.g. 'Нан;250;2;16;1' or 'Қант;520;1.5кг'"
        );
    }
    if fields[0].is_empty() {
        bail!("item '{spec}' has no name");
    }
    let price = tiyn(fields[1]).with_context(|| format!("item '{spec}': price"))?;
    let (quantity, unit) =
        quantity_and_unit(fields[2]).with_context(|| format!("item '{spec}': quantity"))?;
    let optional = |i: usize| {
        fields
            .get(i)
            .filter(|f| !f.is_empty())
            .map(|f| f.to_string())
    };
    let adjustment = match optional(5) {
        Some(a) => Some(signed_adjustment(&a).with_context(|| format!("item '{spec}'"))?),
        None => None,
    };
    Ok(json!({
        "name": fields[0],
        "price_tiyn": price,
        "quantity_milli": quantity.thousandths(),
        "unit": unit,
        "vat_group": optional(3),
        "section": optional(4),
        "adjustment": adjustment,
    }))
}

/// `cash:1000`, `card:250.50`, `mobile:99`.
pub fn payment(spec: &str) -> Result<Value> {
    let (kind, amount) = spec
        .split_once(':')
        .with_context(|| format!("payment '{spec}' must be KIND:AMOUNT, like cash:1000"))?;
    Ok(
        json!({"kind": kind.trim(), "amount_tiyn": tiyn(amount).with_context(|| format!("payment '{spec}'"))?}),
    )
}

/// A return line by name: 'NAME;QTY' or 'NAME;PRICE;QTY'.
pub fn return_item(spec: &str) -> Result<Value> {
    let fields: Vec<&str> = spec.split(';').map(str::trim).collect();
    let quantity = match fields.len() {
        1 => None,
        2 => Some(fields[1]),
        _ => Some(fields[2]),
    };
    let quantity = quantity
        .map(|q| Quantity::parse(q).map(|q| q.thousandths()))
        .transpose()
        .with_context(|| format!("return item '{spec}': quantity"))?;
    Ok(json!({"name": fields[0], "quantity_milli": quantity}))
}

/// 'LINE[:QTY]'.
pub fn return_line(spec: &str) -> Result<Value> {
    let (line, quantity) = match spec.split_once(':') {
        Some((l, q)) => (l, Some(q)),
        None => (spec, None),
    };
    let line: u32 = line
        .trim()
        .parse()
        .with_context(|| format!("'{spec}' must be LINE[:QTY], like 2 or 2:0.5"))?;
    let quantity = quantity
        .map(|q| Quantity::parse(q).map(|q| q.thousandths()))
        .transpose()?;
    Ok(json!({"line": line, "quantity_milli": quantity}))
}

/// FIELD=VALUE, VALUE as JSON when it parses, else as a string.
pub fn setting(spec: &str) -> Result<(String, Value)> {
    let (field, value) = spec
        .split_once('=')
        .with_context(|| format!("'{spec}' must be FIELD=VALUE"))?;
    let value = serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_string()));
    Ok((field.trim().to_string(), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_specs() -> Result<()> {
        let v = item("Нан;250;2;16;bakery;-10%")?;
        assert_eq!(v["price_tiyn"], 25_000);
        assert_eq!(v["quantity_milli"], 2000);
        assert_eq!(v["vat_group"], "16");
        assert_eq!(v["section"], "bakery");
        assert_eq!(v["adjustment"]["percent_milli"], 10_000);
        assert!(v["unit"].is_null());
        let sugar = item("Қант;520;1,25 кг")?;
        assert_eq!(
            (sugar["quantity_milli"].clone(), sugar["unit"].clone()),
            (json!(1250), json!("кг"))
        );
        assert_eq!(item("Су;300;2l")?["unit"], "l");
        assert!(item("Су;300;2 ящик").is_err());
        assert!(item("Нан;abc;2").is_err());
        assert!(item("Нан;250").is_err());
        assert!(payment("cash").is_err());
        assert_eq!(payment("card:12.5")?["amount_tiyn"], 1250);
        Ok(())
    }
}
