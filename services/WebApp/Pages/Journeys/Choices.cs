using Referrals.WebApp.Display;

namespace Referrals.WebApp.Pages.Journeys;

/// <summary>The codes support-plan accepts, with the words the forms show.</summary>
public static class Choices
{
    public static readonly IReadOnlyList<Choice> ContactKinds =
    [
        new("Phone", "Phone"), new("Video", "Video"), new("FaceToFacePractice", "Face to face at the practice"),
        new("FaceToFaceCommunity", "Face to face in the community"), new("GroupSession", "Group session"),
        new("SupportedVisit", "Supported or accompanied visit"), new("IndirectWork", "Indirect work (not with the person)"),
        new("HomeVisit", "Home visit that did not take place", "A home visit that happens is recorded by checking in and out."),
    ];

    public static readonly IReadOnlyList<Choice> ContactOutcomes =
    [
        new("Attended", "Took place"), new("DidNotAttend", "The person did not attend"), new("UnableToContact", "Could not reach the person"),
    ];

    public static readonly IReadOnlyList<Choice> NeedDomains = ChoiceField.Of(
        ["SocialConnection", "MentalWellbeing", "PhysicalActivity", "Housing", "MoneyDebtAndBenefits", "EmploymentAndEducation", "CarerRole", "PracticalNeeds"]);

    public static readonly IReadOnlyList<Choice> Priorities = ChoiceField.Of(["High", "Medium", "Low"]);

    public static readonly IReadOnlyList<Choice> ClosureReasons =
    [
        new("GoalsMet", "Goals met"), new("PersonChoseToEnd", "The person chose to end"), new("MovedAway", "Moved away"),
        new("ReferredToAnotherService", "Referred to another service"), new("UnableToContact", "Unable to contact"), new("Deceased", "Deceased"),
    ];

    public static readonly IReadOnlyList<Choice> MeasurementPoints =
        [new("Baseline", "Baseline"), new("FollowUp", "Follow-up"), new("Closing", "Closing")];

    /// <summary>Maps an API field name ("items[3]", "ons4.anxious") to the form field it came from.</summary>
    public static string? Field(string apiName, string prefix = "Input.") =>
        string.IsNullOrEmpty(apiName) ? null : prefix + char.ToUpperInvariant(apiName[0]) + apiName[1..];
}
