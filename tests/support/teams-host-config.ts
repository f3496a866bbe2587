/**
 * Microsoft Teams' light theme as an Adaptive Cards host config, for rendering cards the way
 * Teams draws them (tests/cards/accessibility.test.ts).
 *
 * Source: Microsoft's own Teams host config, `samples/HostConfig/microsoft-teams-light.json` in
 * github.com/microsoft/AdaptiveCards (the designer's "Microsoft Teams - Light" host) and the same
 * file in github.com/microsoft/Teams-AdaptiveCards-Mobile (which adds border colours, the heading
 * text style and `headingLevel`). Values are that file's; only the font family differs: Segoe UI
 * is not on a Debian machine, so Liberation Sans (Arial's metrics, about Segoe UI's width) stands
 * in before the generic fallbacks. `fontStyles` in that file is the old name of `fontTypes`.
 *
 * Its text colours are the ones the issue measured (on white: `warning` #F8D22A 1.47:1, `good`
 * #92C353 2.07:1): cards keep to `default`, `accent` and `attention` text, or put the message in a
 * coloured container, so they read in this theme and in Teams' newer, darker palette alike.
 */
const foreground = {
  default: { default: '#ff252424', subtle: '#bf252424' },
  dark: { default: '#252424', subtle: '#bf252424' },
  light: { default: '#ffffff', subtle: '#fff3f2f1' },
  accent: { default: '#6264a7', subtle: '#8b8cc7' },
  good: { default: '#92c353', subtle: '#e592c353' },
  warning: { default: '#f8d22a', subtle: '#e5f8d22a' },
  attention: { default: '#c4314b', subtle: '#e5c4314b' },
};

const fontSizes = { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 };
const fontWeights = { lighter: 200, default: 400, bolder: 600 };

export const TEAMS_LIGHT = {
  choiceSetInputValueSeparator: ',',
  supportsInteractivity: true,
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#EEEEEE' },
  imageSizes: { small: 32, medium: 52, large: 100 },
  fontTypes: {
    default: { fontFamily: "'Segoe UI', 'Liberation Sans', Tahoma, Geneva, Verdana, sans-serif", fontSizes, fontWeights },
    monospace: { fontFamily: "'Courier New', Courier, monospace", fontSizes, fontWeights },
  },
  textStyles: { heading: { fontType: 'default', size: 'large', weight: 'bolder', color: 'default', isSubtle: false } },
  textBlock: { headingLevel: 2 },
  containerStyles: {
    default: { foregroundColors: foreground, borderColor: '#CCCCCC', backgroundColor: '#ffffff' },
    emphasis: { foregroundColors: foreground, borderColor: '#666666', backgroundColor: '#fff9f8f7' },
    accent: { foregroundColors: foreground, borderColor: '#62A8F7', backgroundColor: '#C7DEF9' },
    good: { foregroundColors: foreground, borderColor: '#69E569', backgroundColor: '#CCFFCC' },
    attention: { foregroundColors: foreground, borderColor: '#FF764C', backgroundColor: '#FFC5B2' },
    warning: { foregroundColors: foreground, borderColor: '#FFBC51', backgroundColor: '#FFE2B2' },
  },
  actions: {
    maxActions: 6,
    spacing: 'Default',
    buttonSpacing: 8,
    showCard: { actionMode: 'Inline', inlineTopMargin: 16, style: 'emphasis' },
    preExpandSingleShowCardAction: false,
    actionsOrientation: 'Horizontal',
    actionAlignment: 'Left',
  },
  adaptiveCard: { allowCustomStyle: false },
  imageSet: { imageSize: 'Medium', maxImageHeight: 100 },
  factSet: {
    title: { size: 'Default', color: 'Default', isSubtle: false, weight: 'Bolder', wrap: true },
    value: { size: 'Default', color: 'Default', isSubtle: false, weight: 'Default', wrap: true },
    spacing: 16,
  },
} as const;

/** The width of a card in a Teams chat or channel on a desktop window (the measure). */
export const TEAMS_CARD_WIDTH = 460;
