// The default approval policies and the schema every policy set is validated against. The
// defaults reproduce API.md's role table exactly (test/unit/adapters/cedar proves it case by
// case). `npm run policy:default` writes both out as files to start your own from.

/** The entities and actions policies talk about. */
export const POLICY_SCHEMA = `namespace ActionCenter {
  // An Action Center role (a Cognito group, or a role of a local token).
  entity Role;
  // A person; a member of each of their roles.
  entity User in [Role];
  // A remediation action the workflow proposed, or an operator proposed by hand.
  entity RemediationAction = {
    type: String,          // quarantineFile, isolateDevice, softDeleteEmail, ...
    category: String,      // endpoint | email
    severity: String,      // informational | low | medium | high | critical
    source: String,        // AutomatedInvestigation | Manual | ...
    assetGroup?: String,   // the first asset group whose rules match the target
    proposedBy?: User,     // who proposed a manual action
  };

  action propose, approve, reject, undo appliesTo {
    principal: [User],
    resource: [RemediationAction],
  };
  // Not a person's verb: a permit of it, annotated @approvals("N") and/or
  // @fromRoles("RoleA, RoleB"), sets the quorum of the actions it matches.
  action quorum appliesTo {
    principal: [User],
    resource: [RemediationAction],
  };
}
`;

/** API.md's table: endpoint actions by GlobalAdmin, SecurityAdmin or ActiveRemediationActions;
 * e-mail actions by GlobalAdmin, or SecurityAdmin with SearchAndPurge; nobody approves their own. */
export const DEFAULT_POLICIES = `// Endpoint actions: GlobalAdmin, SecurityAdmin or ActiveRemediationActions.
@id("endpoint-deciders")
permit (
  principal,
  action in [ActionCenter::Action::"propose", ActionCenter::Action::"approve", ActionCenter::Action::"reject", ActionCenter::Action::"undo"],
  resource is ActionCenter::RemediationAction
)
when {
  resource.category == "endpoint" &&
  (principal in ActionCenter::Role::"GlobalAdmin" ||
   principal in ActionCenter::Role::"SecurityAdmin" ||
   principal in ActionCenter::Role::"ActiveRemediationActions")
};

// E-mail actions: GlobalAdmin, or SecurityAdmin together with SearchAndPurge.
@id("email-deciders")
permit (
  principal,
  action in [ActionCenter::Action::"propose", ActionCenter::Action::"approve", ActionCenter::Action::"reject", ActionCenter::Action::"undo"],
  resource is ActionCenter::RemediationAction
)
when {
  resource.category == "email" &&
  (principal in ActionCenter::Role::"GlobalAdmin" ||
   (principal in ActionCenter::Role::"SecurityAdmin" &&
    principal in ActionCenter::Role::"SearchAndPurge"))
};

// Two-step approval: whoever proposed an action by hand cannot approve it too.
@id("no-self-approval")
@reason("The person who proposed an action cannot approve it; another person must")
forbid (principal, action == ActionCenter::Action::"approve", resource is ActionCenter::RemediationAction)
when { resource has proposedBy && resource.proposedBy == principal };
`;
