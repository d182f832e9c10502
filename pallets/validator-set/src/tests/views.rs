//! The runtime API's reads: candidate views and members, and their JSON form.

use super::*;
use custos_primitives::Named;

#[test]
fn candidate_views_say_member_eligible_and_why_not() {
	test(|| {
		ready_and_join(10, Some(M1));
		ready_and_join(11, None);
		revoke(2);
		set_node_key(10, node_pair(10, 1).public());
		let view = |account, measurement, member, reason: Option<RemovalReason>| CandidateView {
			account,
			measurement,
			member,
			eligible: reason.is_none(),
			reason,
		};
		assert_eq!(
			ValidatorSet::candidate_views(),
			vec![
				view(1, None, true, None),
				view(2, None, true, Some(RemovalReason::CertificateInvalid)),
				view(3, None, true, None),
				view(10, Some(M1), false, Some(RemovalReason::KeyRotated)),
				view(11, None, false, None),
			]
		);
		assert_eq!(ValidatorSet::members(), vec![1, 2, 3]);
		// Planning follows the views.
		assert_eq!(new_session(2), Some(vec![1, 3, 11]));
		let views = ValidatorSet::candidate_views();
		assert_eq!(
			views.iter().filter(|v| v.member).map(|v| v.account).collect::<Vec<_>>(),
			[1, 3, 11]
		);
	});
}

#[test]
fn candidate_view_json() {
	let view = CandidateView {
		account: 7u64,
		measurement: Some(M1),
		member: true,
		eligible: false,
		reason: Some(RemovalReason::MeasurementMismatch),
	};
	let json = serde_json::to_value(&view).unwrap();
	assert_eq!(
		json,
		serde_json::json!({
			"account": 7,
			"measurement": format!("0x{}", "a1".repeat(32)),
			"member": true,
			"eligible": false,
			"reason": "measurement-mismatch",
		})
	);
	assert_eq!(serde_json::from_value::<CandidateView<u64>>(json).unwrap(), view);
}

#[test]
fn removal_reason_names_agree() {
	// One spelling for JSON, text and parsing.
	for reason in RemovalReason::ALL {
		assert_eq!(serde_json::to_value(reason).unwrap(), reason.name());
		assert_eq!(RemovalReason::from_name(reason.name()), Some(*reason));
	}
	assert_eq!(RemovalReason::ALL.len(), 5);
}
