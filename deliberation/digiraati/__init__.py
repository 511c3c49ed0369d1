"""The digiraati (online citizens' jury): a ``Deliberation`` of kind "digiraati"
with a panel drawn by sortition, invitations, phases, an expert hearing, a joint
statement with amendments and votes, its publication and the county's response.

Every rule of who may do what in which phase lives in this package.
"""
