//! The X report as the operator sees it (COMMAND_REPORT, spec §5.2): the register sends
//! its own counters and gets the operator's back, so a manager can see at once whether
//! the two agree on the shift's receipts and cash. Informational: the answer changes
//! nothing in the journal and the token does not rotate (spec §1.7).

use serde::{Deserialize, Serialize};

use super::exchange::{self, Outcome};
use super::message::{self, Context};
use super::{Link, Mode};
use crate::core::{Core, current_report, millis};
use crate::error::{ApiError, ErrorCode};
use sauda_ofd::v204;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct OperatorTickets {
    /// sell, sell_return, buy or buy_return.
    pub operation: String,
    pub count: u32,
    pub sum_tiyn: i64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export, optional_fields = nullable))]
pub struct OperatorXReport {
    pub shift_number: u32,
    pub tickets: Vec<OperatorTickets>,
    pub cash_sum_tiyn: i64,
    /// Where the operator's figures differ from the register's.
    pub differences: Vec<String>,
}

/// Saturating: the figures come from the network and must never overflow.
fn tiyn(m: &v204::Money) -> i64 {
    i64::try_from(m.bills)
        .unwrap_or(i64::MAX)
        .saturating_mul(100)
        .saturating_add(i64::from(m.coins))
}

pub fn x_report(core: &Core, link: &mut Link) -> Result<OperatorXReport, ApiError> {
    if link.outstanding.is_some() || !matches!(link.mode, Mode::Online) {
        return Err(ApiError::new(
            ErrorCode::Validation,
            "the register is not online with the operator: the local X report is complete; the operator's copy can be asked once the queue is delivered",
        ));
    }
    let settings = core.settings();
    let now = millis(core.now());
    let local = {
        let st = core.lock_fresh()?;
        current_report(st.store.conn(), now)?
    };
    let request = message::x_report(&local, now, &Context::service(&settings))
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let budget = link.options.budget;
    let response = match exchange::service(core, link, request, None, budget)? {
        Outcome::Accepted { response, .. } => response,
        Outcome::NoAnswer(e) => {
            return Err(ApiError::new(
                ErrorCode::Validation,
                format!("the operator did not answer the X report: {e}"),
            ));
        }
        Outcome::Refused { code, text, .. } => {
            return Err(ApiError::new(
                ErrorCode::Validation,
                format!("the operator refused the X report with result {code}: {text}"),
            ));
        }
    };
    let Some(report) = response.report.map(|r| r.zx_report) else {
        return Err(ApiError::new(
            ErrorCode::Validation,
            "the operator's answer carries no report",
        ));
    };
    let tickets: Vec<OperatorTickets> = report
        .ticket_operations
        .iter()
        .map(|t| OperatorTickets {
            operation: crate::journal::report::operation_name(
                u8::try_from(t.operation).unwrap_or(u8::MAX),
            )
            .to_string(),
            count: t.tickets_count,
            sum_tiyn: tiyn(&t.tickets_sum),
        })
        .collect();
    let mut differences = Vec::new();
    for t in &local.tickets {
        let name = crate::journal::report::operation_name(t.operation);
        let theirs = tickets.iter().find(|o| o.operation == name);
        let (count, sum) = theirs.map_or((0, 0), |o| (i64::from(o.count), o.sum_tiyn));
        if (count, sum) != (t.count, t.sum) {
            differences.push(format!(
                "{name}: register {} receipts, {} tiyn; operator {count}, {sum}",
                t.count, t.sum
            ));
        }
    }
    // Per payment kind too: a register that counted cash before change would disagree
    // here although its receipts' totals agree.
    for t in &local.tickets {
        let name = crate::journal::report::operation_name(t.operation);
        let theirs = report
            .ticket_operations
            .iter()
            .find(|o| o.operation == i32::from(t.operation));
        for p in &t.payments {
            let Some(kind) = crate::domain::PaymentKind::ALL
                .into_iter()
                .find(|&k| crate::journal::report::payment_name(k) == p.kind)
            else {
                continue;
            };
            let sum: i64 = theirs.map_or(0, |o| {
                o.payments
                    .iter()
                    .filter(|x| x.payment == i32::from(kind.code()))
                    .map(|x| tiyn(&x.sum))
                    .sum()
            });
            if sum != p.sum {
                differences.push(format!(
                    "{name} {}: register {} tiyn, operator {sum}",
                    p.kind, p.sum
                ));
            }
        }
    }
    let cash_sum_tiyn = tiyn(&report.cash_sum);
    if cash_sum_tiyn != local.cash_sum {
        differences.push(format!(
            "cash: register {} tiyn, operator {cash_sum_tiyn}",
            local.cash_sum
        ));
    }
    Ok(OperatorXReport {
        shift_number: report.shift_number,
        tickets,
        cash_sum_tiyn,
        differences,
    })
}
