/** The kinds of file an application may have attached (a leaf module: the form's types name them too). */
export const ATTACHMENT_KINDS = ['pdf', 'docx', 'xlsx', 'odt', 'ods', 'png', 'jpeg'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
