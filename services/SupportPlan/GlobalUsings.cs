// Domain events share their names with the integration events they give rise to (the house style), so the contracts'
// namespace is never imported: its value types are aliased here and its events are reached through "Integration.".
global using ClosureReason = Referrals.Contracts.SupportPlan.ClosureReason;
global using ConnectionKind = Referrals.Contracts.SupportPlan.ConnectionKind;
global using ConnectionOutcome = Referrals.Contracts.SupportPlan.ConnectionOutcome;
global using ContactKind = Referrals.Contracts.SupportPlan.ContactKind;
global using ContactOutcome = Referrals.Contracts.SupportPlan.ContactOutcome;
global using Instrument = Referrals.Contracts.SupportPlan.Instrument;
global using Integration = Referrals.Contracts.SupportPlan;
global using MeasurementPoint = Referrals.Contracts.SupportPlan.MeasurementPoint;
global using Ons4Scores = Referrals.Contracts.SupportPlan.Ons4Scores;

// What every journey-changing endpoint answers: 200 or 201 with the new version (also the ETag), or a problem (403, 404, 412).
global using JourneyResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<Referrals.SupportPlan.Journeys.JourneyWritten>,
    Microsoft.AspNetCore.Http.HttpResults.Created<Referrals.SupportPlan.Journeys.JourneyWritten>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

// System.Threading.Barrier comes with the implicit usings; the assessment's barriers to change win.
global using Barrier = Referrals.SupportPlan.Assessing.Barrier;
