package io.github.jwtkeyring.runtime.web;

/**
 * Names and sentences that the OpenAPI annotations of the module's resources share. The security schemes are declared
 * on each resource that refers to them (SmallRye OpenAPI reads {@code @SecurityScheme} on resource classes), so that
 * an application which switches some endpoints off still has every scheme that the others name, and no JAX-RS
 * {@code Application} class decides anything for the whole application.
 * <p>
 * The annotations that span several lines stand between {@code // @formatter:off} and {@code // @formatter:on}: the
 * house formatter does not wrap annotation arguments, and joins nested annotations into lines of up to 390 characters.
 * <p>
 * The annotations come from {@code microprofile-openapi-api}, which the published jar declares as an ordinary dependency
 * (pom.xml says why); nothing reads them unless the application has {@code quarkus-smallrye-openapi}.
 */
final class ApiDocs {

    /** The access tokens of the key ring, {@code Authorization: Bearer} (RFC 6750 §2.1). */
    static final String BEARER = "keyring-bearer";
    /** User name and password, for {@code POST /auth/login} only. */
    static final String BASIC = "keyring-basic";

    static final String BEARER_DESCRIPTION = "An access token from POST /auth/login or POST /auth/refresh, signed by "
            + "the key ring's ACTIVE key (RFC 6750 §2.1).";
    static final String BASIC_DESCRIPTION = "User name and password, checked by the application's identity provider; "
            + "POST /auth/login is the only endpoint that accepts them.";

    static final String UNAUTHORIZED = "No bearer token, or one that was rejected. A rejected token gets "
            + "WWW-Authenticate: Bearer error=\"invalid_token\" whatever the reason (RFC 6750 §3.1).";
    static final String CHALLENGE = "Bearer error=\"invalid_token\" for a rejected token; Bearer without one.";
    static final String FORBIDDEN = "The token is valid but does not carry the role admin.";
    static final String UNAVAILABLE = "temporarily_unavailable: the change could not be stored, or the signing key "
            + "cannot be used right now; nothing was changed or issued. Try again after Retry-After seconds.";
    static final String RETRY_AFTER = "Seconds to wait before trying again (RFC 9110 §10.2.3).";

    private ApiDocs() {
    }
}
