//! Threshold OPRF over ristretto255 (RFC 9497 ristretto255-SHA512, VOPRF mode), which makes
//! passphrase guesses online and countable: no one can test a guess without `t` custodians
//! answering.
//!
//! Setup, by the owner:
//!
//! 1. [`OprfKey::generate`] a random scalar `k`.
//! 2. [`split_key`] it `t`-of-`n` with Shamir over the scalar field: the [`OprfKeyShare`] of slot
//!    `i` is `k_i = f(i + 1)`.
//! 3. Record each slot's [`OprfPublicKey`] `K_i = k_i·G` ([`OprfKeyShare::public`]) on chain, give
//!    share `i` to custodian `i`, and forget `k`.
//!
//! A guess, by the requester, with `input` = the Argon2id output `h`:
//!
//! 1. [`blind`]: `B = r·HashToGroup(h)` (RFC 9497 `Blind`); send the [`BlindedElement`] to the
//!    custodians, keep the [`Blind`].
//! 2. Each custodian [`evaluate`]s: `Z_i = k_i·B` with a DLEQ proof against `K_i` (RFC 9497
//!    `BlindEvaluate` with `skS = k_i`, `pkS = K_i`), an [`Evaluation`].
//! 3. [`combine_and_finalize`] checks every proof ([`verify`], naming the slot whose proof fails),
//!    combines `t` or more evaluations with Lagrange coefficients at 0, `Z = Σ λ_i·Z_i = k·B`,
//!    unblinds `N = r⁻¹·Z` and hashes as RFC 9497 `Finalize`: the 64-byte [`OprfOutput`] `y`, the
//!    same as a single server holding `k` would give.
//!
//! The building blocks (`expand_message_xmd`, `HashToGroup`, `HashToScalar`,
//! `ComputeComposites`, `GenerateProof`, `VerifyProof`, `Finalize`) follow RFC 9497 sections
//! 2.2, 3.3 and 4.1 and RFC 9380 section 5.3.1 exactly; the tests check them against the RFC's
//! Appendix A vectors. The context string is `"OPRFV1-" || 0x01 || "-ristretto255-SHA512"`.
//!
//! Secrets (the key, key shares, the blind, the output, and every intermediate derived from
//! the input) are zeroized when dropped and never appear in `Debug` output or errors.

mod client;
mod dleq;
mod element;
mod evaluate;
mod key;
mod output;
mod suite;

#[cfg(test)]
mod tests;

pub use client::{blind, combine_and_finalize, Blind};
pub use dleq::Proof;
pub use element::{BlindedElement, EvaluatedElement};
pub use evaluate::{evaluate, verify, Evaluation};
pub use key::{split_key, OprfKey, OprfKeyShare, OprfPublicKey};
pub use output::OprfOutput;
