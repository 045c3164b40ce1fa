/** A text in both languages, Chinese first (labels of stages, actions, categories, regions). */
export interface Label {
  zh: string;
  en: string;
}

/** One line of a digest: an event that a digest-mode subscription collected during the day. */
export type DigestEntry =
  | { template: 'case_status'; reference: string; to: Label; action: Label; at: string; unsubscribe?: string }
  | {
      template: 'area_new_case';
      reference: string;
      region: Label;
      category: Label | null;
      at: string;
      unsubscribe?: string;
    };

/** A case in a staff member's daily queue digest. */
export interface QueueEntry {
  reference: string;
  stage: Label;
  deadline: string | null;
  overdue: boolean;
}

/**
 * What a mail says, with every name already resolved to both languages; src/core/mail/templates.ts
 * turns it into subject, text and HTML. Times are ISO 8601 UTC and shown in China Standard Time.
 */
export type MailContent =
  | { template: 'follow_confirm'; reference: string }
  | { template: 'area_confirm'; area: Label }
  | { template: 'email_confirm'; username: string }
  | { template: 'case_status'; reference: string; from: Label; to: Label; action: Label; at: string }
  | { template: 'area_new_case'; reference: string; region: Label; category: Label | null; at: string }
  | { template: 'digest'; entries: DigestEntry[] }
  | { template: 'staff_assignment'; reference: string; role: 'lead' | 'co'; deadline: string | null }
  | { template: 'staff_deadline'; reference: string; stage: Label; threshold: number; deadline: string }
  | { template: 'staff_supervision'; reference: string; reason: string | null }
  | { template: 'staff_whistle'; reference: string; report_in_deadline: string | null }
  | { template: 'staff_queue_digest'; total: number; overdue: number; cases: QueueEntry[] };

export type MailTemplate = MailContent['template'];
