//! The JSON form of each record of the escrow protocol.
//!
//! Built from the runtime's own types (`From` the records the runtime APIs return), so the
//! node, the client library and `custos … --json` share one shape per record.

mod certificate;
mod custodian;
mod escrow;
mod guess;
mod node;
mod request;

pub use certificate::{CertificateView, RevocationView};
pub use custodian::{
	CustodianIdentity, CustodianView, DepositReceipt, ServedEvaluation, ServedRelease,
};
pub use escrow::{CustodianSlotView, EscrowView, HealthView, PolicyView};
pub use guess::{EvaluationView, GuessView, GuessesView};
pub use node::NodeMeasurement;
pub use request::{decimal, PhaseView, ReleaseView, RequestView};

#[cfg(test)]
mod tests;
