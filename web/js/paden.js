// Every API base path the web UI calls, declared once (the names of DESIGN.md §5). The chat
// widget (web/widget/) is a classic script embedded on other sites and keeps its own base.
export const AUTH = '/auth/api/v1';
export const KLANTINTERACTIES = '/klantinteracties/api/v1';
export const KANALEN = '/kanalen/api/v1';
export const KENNISBANK = '/kennisbank/api/v1';
export const KLANTBEELD = '/klantbeeld/api/v1';
export const MIJN = '/mijn/api/v1';
export const WERKPLEK = '/werkplek/api/v1';
export const AVG = '/avg/api/v1';
export const STURING = '/sturing/api/v1';
