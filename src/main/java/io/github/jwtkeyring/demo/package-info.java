/**
 * The demo service's endpoints ({@code /api/me}, {@code /api/admin}, {@code /api/public}): the service built from this
 * repository turns them on ({@code keyring.endpoints.demo.enabled=true} in its own application.properties). This
 * package is not in the published jar, so no application that adds the module ever has them.
 */
package io.github.jwtkeyring.demo;
