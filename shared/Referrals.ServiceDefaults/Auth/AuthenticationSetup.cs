using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Referrals.ServiceDefaults.Auth;

internal static class AuthenticationSetup
{
    /// <summary>
    /// JWT bearer for every service. Production reads an OpenID Connect authority (Auth:Authority, Auth:Audience).
    /// Development (or a test host that opts in with Auth:AllowDevelopmentTokens) validates tokens signed with
    /// Auth:DevelopmentSigningKey.
    /// </summary>
    public static void AddReferralsAuthentication(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Auth");
        var authority = section["Authority"];
        var developmentKey = section["DevelopmentSigningKey"];
        var allowDevelopment = builder.Environment.IsDevelopment() || section.GetValue<bool>("AllowDevelopmentTokens");

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters.RoleClaimType = ReferralsClaims.Role;
            options.TokenValidationParameters.NameClaimType = ReferralsClaims.Name;
            if (!string.IsNullOrEmpty(authority))
            {
                options.Authority = authority;
                options.Audience = section["Audience"] ?? DevelopmentTokens.Audience;
                options.RequireHttpsMetadata = !builder.Environment.IsDevelopment();
            }
            else if (allowDevelopment && !string.IsNullOrEmpty(developmentKey))
            {
                options.TokenValidationParameters.ValidIssuer = DevelopmentTokens.Issuer;
                options.TokenValidationParameters.ValidAudience = DevelopmentTokens.Audience;
                options.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(developmentKey));
            }
            else
            {
                throw new InvalidOperationException(
                    "Authentication is not configured: set Auth:Authority (production) or, in Development only, Auth:DevelopmentSigningKey.");
            }
        });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Referrer, p => p.RequireRole(Roles.Referrer))
            .AddPolicy(Roles.LinkWorker, p => p.RequireRole(Roles.LinkWorker))
            .AddPolicy(Roles.TeamLead, p => p.RequireRole(Roles.TeamLead))
            .AddPolicy(Roles.ProgrammeAdmin, p => p.RequireRole(Roles.ProgrammeAdmin))
            .AddPolicy(Roles.ClinicalSystem, p => p.RequireRole(Roles.ClinicalSystem))
            .AddPolicy(Roles.DataProtectionOfficer, p => p.RequireRole(Roles.DataProtectionOfficer))
            .AddPolicy(Policies.Practitioner, p => p.RequireRole(Roles.LinkWorker, Roles.TeamLead));
    }
}

public static class Policies
{
    /// <summary>Link workers and team leads.</summary>
    public const string Practitioner = "practitioner";
}
