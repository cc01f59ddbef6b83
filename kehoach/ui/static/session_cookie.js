/* Keep the sign-in cookie in step with the server: set after sign-in, cleared on sign-out.
   Called with (name, token, maxAgeSeconds); an empty token clears the cookie. The cookie holds
   an opaque token the server can revoke; SameSite=Strict keeps other sites from sending it. */
(function (name, token, maxAge) {
  "use strict";
  var secure = window.location.protocol === "https:" ? "; Secure" : "";
  var value = token ? encodeURIComponent(token) : "";
  document.cookie = name + "=" + value + "; Path=/; Max-Age=" + (token ? maxAge : 0) +
    "; SameSite=Strict" + secure;
})
