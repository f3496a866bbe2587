export interface AccounthouderRecord {
  userId: string;
  name: string;
  addedBy: string;
  addedAt: string;
}
