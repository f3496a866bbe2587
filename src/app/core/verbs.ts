/**
 * Every Action.Execute verb the bot answers, one namespace per area. The card templates in /cards
 * use these strings; a test checks that every verb in a card has a route and every route a card.
 */
export const VERBS = {
  application: {
    home: 'app.home',
    start: 'apply.start',
    eligibility: 'apply.eligibility',
    step: 'apply.step',
    edit: 'apply.edit',
    resume: 'apply.resume',
    submit: 'apply.submit',
    list: 'apply.list',
    withdraw: 'apply.withdraw',
    withdrawConfirm: 'apply.withdrawConfirm',
    removeFile: 'apply.removeFile',
  },
  round: {
    show: 'round.show',
    save: 'round.save',
    status: 'round.status',
    create: 'round.create',
    /** The card to start another round (name, prefix, year, copy from). */
    startCard: 'round.new',
    start: 'round.start',
    /** A round chosen on the "which round?" card: the command is run again with that round named. */
    choose: 'round.choose',
    criteriaShow: 'criteria.show',
    criteriaSave: 'criteria.save',
  },
  review: {
    refresh: 'review.refresh',
    others: 'review.others',
    read: 'review.read',
    score: 'review.score',
    conflict: 'review.conflict',
    ask: 'review.ask',
    answer: 'question.answer',
    panelAdd: 'panel.add',
    panelRemove: 'panel.remove',
    stuck: 'review.stuck',
    extend: 'review.extend',
    settle: 'review.settle',
  },
  allocation: {
    show: 'alloc.show',
    approve: 'alloc.approve',
    share: 'alloc.share',
    mark: 'alloc.mark',
    page: 'alloc.page',
    panelPage: 'alloc.panelPage',
    marks: 'alloc.marks',
  },
  consultation: {
    show: 'consult.show',
    start: 'consult.start',
    /** Opens the respond card for whoever presses it (the invitation, the welcome card). */
    open: 'consult.open',
    respond: 'consult.respond',
    decide: 'consult.decide',
    publish: 'consult.publish',
  },
  reports: {
    allocation: 'report.allocation',
    results: 'report.results',
  },
  organisation: {
    show: 'org.show',
    add: 'org.add',
    alias: 'org.alias',
  },
  results: {
    open: 'results.open',
    save: 'results.save',
    overview: 'overview.show',
  },
  applications: {
    list: 'apps.list',
    export: 'apps.export',
  },
  retention: {
    /** The anonymise-now confirmation card's button. */
    run: 'anon.run',
  },
  privacy: {
    myData: 'privacy.myData',
    deleteAsk: 'privacy.deleteAsk',
    deleteConfirm: 'privacy.deleteConfirm',
    decide: 'privacy.decide',
    open: 'privacy.open',
    requests: 'privacy.requests',
  },
  logbook: {
    page: 'log.page',
  },
  change: {
    /** The accounthouder sends the application back with a note (aanvulling). */
    request: 'change.request',
    /** The request card for one application, from a button on the accounthouder's list (`aanvragen`). */
    open: 'change.open',
    /** A panel member proposes it from the review card; it goes to the accounthouders. */
    propose: 'change.propose',
    /** What changed, field by field (per member). */
    diff: 'change.diff',
  },
  form: {
    /** The editor, with one step open. */
    open: 'form.open',
    /** A question's card. */
    question: 'form.question',
    /** The card of a new question (in a step, or in a new step); a standard question is put back at once. */
    new: 'form.new',
    save: 'form.save',
    move: 'form.move',
    /** Without `confirmed`: the confirmation card. */
    remove: 'form.remove',
    rename: 'form.rename',
    /** A step as the applicant sees it. */
    preview: 'form.preview',
  },
} as const;

/** Every verb, flat (for the test that matches cards and routes). */
export const ALL_VERBS: readonly string[] = Object.values(VERBS).flatMap((area) => Object.values(area));
