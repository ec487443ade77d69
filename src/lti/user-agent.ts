/** Canvas refuses LTI service calls without a User-Agent; every outbound request names Mentorlink. */
export const USER_AGENT = 'Mentorlink/0.1 (+LTI 1.3 tool)'
