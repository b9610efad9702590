/**
 * The HTTP endpoints the module adds to an application, in groups that can each be left out at build time
 * ({@code keyring.endpoints.<group>.enabled=false}): the token endpoints ({@code /auth/*}), the JWKS, key and
 * revocation administration ({@code /admin/*}); their DTO records, filters and exception mappers.
 */
package io.github.jwtkeyring.runtime.web;
