// An annotation macro whose parenthesis never closes.
VZ_EXPORT API_AVAILABLE(macos(11.0)
