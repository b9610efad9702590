package org.acme.ownlogin;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same against the packaged application (prod profile, the embedded PKCS#12 store). */
@QuarkusIntegrationTest
class OwnLoginIT extends OwnLoginTest {
}
