package io.github.jwtkeyring.runtime.web;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;

/**
 * Whether the application can check user names and passwords, which {@code POST /auth/login} needs. Identity is the
 * application's: the module brings no users and no identity provider. Without one, startup warns once, naming what to
 * add, and every login gets the plain 401.
 */
@Singleton
public class PasswordLogins {

    private static final Logger LOG = Logger.getLogger(PasswordLogins.class);

    private final boolean available;

    @Inject
    public PasswordLogins(@Any Instance<IdentityProvider<?>> providers) {
        this.available = providers.stream()
                .anyMatch(provider -> provider.getRequestType() == UsernamePasswordAuthenticationRequest.class);
    }

    /** Whether an identity provider for user names and passwords is installed. */
    public boolean available() {
        return available;
    }

    void warnIfMissing(@Observes StartupEvent event,
            @ConfigProperty(name = "keyring.endpoints.token.enabled", defaultValue = "true") boolean endpoints) {
        if (endpoints && !available) {
            LOG.warn("POST /auth/login cannot log anyone in: the application has no identity provider for user names "
                    + "and passwords, so every login gets 401. Add one (e.g. io.quarkus:quarkus-elytron-security-"
                    + "properties-file, -jdbc or -ldap), or, if the application logs users in itself with TokenIssuer "
                    + "and RefreshTokens, build it with keyring.endpoints.token.enabled=false.");
        }
    }
}
