// What a well-formed id looks like, apart from how ids are derived (node:crypto), so the API's
// schemas and the web page can check ids and the OpenAPI document can show the pattern.
export const INVESTIGATION_ID_PATTERN = /^inv-[0-9a-f]{20}$/;
export const ACTION_ID_PATTERN = /^act-([0-9a-f]{20})-[0-9a-f]{12}$/;
