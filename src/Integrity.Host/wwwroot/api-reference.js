// Configuration module of the API reference page (/api/, Scalar): the key this tab's dashboard holds (sessionStorage,
// never the server) fills the ApiKey scheme, so a key entered once serves the dashboard and every call tried here.
const key = sessionStorage.getItem("integrity.key");

export default {
  authentication: {
    preferredSecurityScheme: "ApiKey",
    securitySchemes: key ? { ApiKey: { value: key } } : {},
  },
};
