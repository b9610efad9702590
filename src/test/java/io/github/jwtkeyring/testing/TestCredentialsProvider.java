package io.github.jwtkeyring.testing;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import io.quarkus.arc.Unremovable;
import io.quarkus.credentials.CredentialsProvider;

/**
 * A credentials provider as a secret store would be one: gives the PIN of the tests' SoftHSM2 tokens under
 * {@value #PIN_NAME}, nothing under any other name.
 */
@ApplicationScoped
@Unremovable
@Named(TestCredentialsProvider.BEAN_NAME)
public class TestCredentialsProvider implements CredentialsProvider {

    /** The bean name, for {@code keyring.custody.pkcs11.credentials-provider-name}. */
    public static final String BEAN_NAME = "keyring-test-credentials";
    /** The name the PIN is kept under, for {@code keyring.custody.pkcs11.credentials-provider}. */
    public static final String PIN_NAME = "softhsm-pin";

    @Override
    public Map<String, String> getCredentials(String credentialsProviderName) {
        return PIN_NAME.equals(credentialsProviderName) ? Map.of(PASSWORD_PROPERTY_NAME, SoftHsmTokenResource.PIN)
                : Map.of();
    }
}
