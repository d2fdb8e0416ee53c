// Every word of the tax inspector's workstation (R-83…R-88), in Kazakh and Russian,
// switchable at any time. Error codes map to a sentence; the server's own (English)
// message is never the main text for a known code, only a detail.

import type { ErrorCode } from '../lib/transport';
import type { Lang } from '../lib/money';
import { formatDay } from './dates';

const kk = {
  title: 'Салық инспекторының жұмыс орны',
  loginTitle: 'Инспектордың кіруі',
  loginHint: 'Тіркелгі деректерін кассаның әкімшісі береді. Барлық кіру мен оқу әрекеттері тіркеледі.',
  login: 'Логин',
  password: 'Құпиясөз',
  signIn: 'Кіру',
  logout: 'Шығу',
  readOnly: 'Тек оқу',
  demo: 'ДЕМО',
  register: 'Касса',
  noRegisters: 'Сізге қолжетімді касса жоқ: әкімшіге хабарласыңыз',
  chooseRegister: 'Кассаны таңдаңыз',
  periodFrom: 'Кезең басы',
  periodTo: 'Кезең соңы',
  dayHint: 'КК.АА.ЖЖЖЖ; ↑/↓ — бір күнге',
  show: 'Көрсету',
  badPeriod: 'Кезең қате: екі күнді де енгізіңіз, басы соңынан кейін болмауы керек',
  periodNote: 'Кезең тұтас ауысымдармен есептеледі: ауысым Z-есебі түсірілген күнге жатады, ашық ауысым — бүгінгі күнге. Күндер кассаның уақыт белдеуі бойынша.',
  exportJson: 'JSON жүктеу',
  exporting: 'Экспорт…',
  exported: 'Экспортталды',
  records: 'жазба',
  print: 'Басып шығару',
  loading: 'Жүктелуде…',
  // tabs
  tabPeriod: 'Кезең есебі',
  tabZ: 'Z-есептер',
  tabX: 'X-есеп',
  tabCashier: 'Кассир бойынша',
  tabSection: 'Бөлім бойынша',
  tabDocuments: 'Құжаттар',
  tabAutonomous: 'Автономды режим',
  tabMessages: 'ОФД хабарламалары',
  tabAudit: 'Кіру журналы',
  // identity
  identity: 'Касса деректері',
  orgName: 'Салық төлеуші',
  bin: 'БСН/ЖСН',
  address: 'Мекенжайы',
  rnm: 'Тіркеу нөмірі (РНМ)',
  kkmId: 'ОФД-дағы касса коды',
  factoryNumber: 'Зауыттық нөмірі',
  vatPayer: 'ҚҚС төлеуші',
  yes: 'иә',
  no: 'жоқ',
  period: 'Кезең',
  takenAt: 'Есеп түсірілген уақыт',
  takenBy: 'Есепті түсірген',
  docRange: 'Құжат нөмірлері',
  noDocs: 'құжат жоқ',
  // period report
  fiscalReport: 'Кезең бойынша фискалдық есеп',
  shifts: 'Ауысымдар',
  shift: 'Ауысым',
  zNumber: 'Z-есеп №',
  opened: 'Ашылды',
  closed: 'Жабылды',
  openNow: 'ашық',
  receipts: 'Чектер',
  revenue: 'Түсім',
  cashInDrawer: 'Кассадағы қолма-қол ақша',
  checksum: 'Бақылау сомасы',
  ofShift: 'ауысымның',
  ofTotal: 'жиынтық',
  shiftChecksum: 'Ауысымның бақылау сомасы',
  totalChecksum: 'Жиынтық бақылау сомасы',
  noShifts: 'Бұл кезеңде ауысым жоқ',
  totalsByOperation: 'Операциялар бойынша жиындар',
  operation: 'Операция',
  count: 'Саны',
  amount: 'Сомасы',
  discounts: 'Жеңілдіктер',
  markups: 'Үстемелер',
  autonomousDocs: 'Автономды',
  nonNullable: 'Нөлденбейтін сома',
  vatTitle: 'ҚҚС',
  vatRate: 'Мөлшерлеме',
  turnover: 'Айналым',
  withoutVat: 'ҚҚС-сыз',
  vat: 'ҚҚС сомасы',
  noVat: 'ҚҚС салынатын айналым жоқ',
  paymentsTitle: 'Төлем түрлері бойынша',
  payment: 'Төлем түрі',
  cashMoves: 'Кассаға салу және алу',
  cashAtStart: 'Кезең басындағы қолма-қол ақша',
  cashAtShiftStart: 'Ауысым басындағы қолма-қол ақша',
  revenueTotal: 'Кезеңдегі түсім',
  registrations: 'Тіркеу және тіркеу деректерінің өзгерістері',
  regAt: 'Күні',
  regKind: 'Түрі',
  regChanged: 'Өзгерген деректер',
  kindRegistration: 'Тіркеу',
  kindSettings: 'Өзгерту',
  noRegistrations: 'Тіркеу жазбалары жоқ',
  integrityCheck: 'Тұтастықты тексеру',
  integrityRunning: 'Журнал тексерілуде…',
  integrityOk: 'Журнал тұтас',
  integrityFailed: 'Журнал бұзылған',
  recordsChecked: 'жазба тексерілді',
  shiftsChecked: 'жабық ауысым',
  seconds: 'с',
  failedAt: 'жазба №',
  // Z, X
  zOpenHint: 'Ауысымның Z-есебін ашу үшін кестедегі жолды таңдаңыз (тінтуір немесе Enter).',
  zOpenShift: 'Ауысым әлі ашық: Z-есебі жоқ',
  zReport: 'Z-есеп',
  xReport: 'X-есеп',
  xNow: 'Ағымдағы ауысымның X-есебі, кассаны өзгертпейді',
  refresh: 'Жаңарту',
  noOpenShift: 'Қазір ашық ауысым жоқ',
  autonomousZ: 'Автономды режимде жабылған, ОФД-ға кезекте',
  documentNo: 'Құжат №',
  // by cashier / section
  cashier: 'Кассир',
  section: 'Бөлім',
  positions: 'Позициялар',
  gross: 'Жеңілдікке дейін',
  cash: 'Қолма-қол',
  card: 'Карта',
  mobile: 'Мобильді',
  deposits: 'Салынды',
  withdrawals: 'Алынды',
  shiftsRange: 'Ауысымдар',
  amountsNote: 'Сомалар теңгемен (₸); жақшада — чектер саны.',
  nothing: 'Бұл кезеңде дерек жоқ',
  // documents
  docSearch: 'Құжат нөмірі, фискалдық белгі немесе сома (1 250,50)',
  number: '№',
  kind: 'Түрі',
  time: 'Уақыты',
  total: 'Сомасы',
  fiscalSign: 'Фискалдық белгі',
  autonomousFlag: 'Автономды',
  nothingFound: 'Ештеңе табылмады',
  narrowSearch: 'Тізім толық емес: іздеуді нақтылаңыз',
  // autonomous
  began: 'Басталды',
  ended: 'Аяқталды',
  stillAutonomous: 'әлі жалғасуда',
  reason: 'Себебі',
  documents: 'Құжаттар',
  replayed: 'ОФД-ға жіберілді',
  noAutonomous: 'Бұл кезеңде автономды режим болған жоқ',
  // messages
  messageAt: 'Күні',
  messageDoc: 'Құжат',
  messageText: 'Мәтін',
  noMessages: 'Бұл кезеңде ОФД хабарламалары жоқ',
  // audit
  auditHint: 'Сіздің осы серверге кіру және оқу әрекеттеріңіз, соңғысы жоғарыда.',
  auditAt: 'Уақыты',
  auditAction: 'Әрекет',
  auditRegister: 'Касса',
  auditDetail: 'Толығырақ',
  auditRemote: 'Мекенжай',
  auditOutcome: 'Нәтиже',
  noAudit: 'Жазба жоқ',
  // misc
  sessionEnded: 'Сеанс аяқталды: қайта кіріңіз',
  printedBy: 'Басып шығарған',
  page: 'Sauda',
};

type Words = typeof kk;

const ru: Words = {
  title: 'Рабочее место налогового инспектора',
  loginTitle: 'Вход инспектора',
  loginHint: 'Учётную запись выдаёт администратор кассы. Все входы и просмотры записываются в журнал.',
  login: 'Логин',
  password: 'Пароль',
  signIn: 'Войти',
  logout: 'Выход',
  readOnly: 'Только чтение',
  demo: 'ДЕМО',
  register: 'Касса',
  noRegisters: 'Вам не доступна ни одна касса: обратитесь к администратору',
  chooseRegister: 'Выберите кассу',
  periodFrom: 'Период с',
  periodTo: 'по',
  dayHint: 'ДД.ММ.ГГГГ; ↑/↓ — на день',
  show: 'Показать',
  badPeriod: 'Неверный период: введите обе даты, начало не позже конца',
  periodNote: 'Период считается целыми сменами: смена относится ко дню её Z-отчёта, открытая смена — к сегодняшнему дню. Даты — по часовому поясу кассы.',
  exportJson: 'Скачать JSON',
  exporting: 'Экспорт…',
  exported: 'Выгружено',
  records: 'записей',
  print: 'Печать',
  loading: 'Загрузка…',
  tabPeriod: 'Отчёт за период',
  tabZ: 'Z-отчёты',
  tabX: 'X-отчёт',
  tabCashier: 'По кассирам',
  tabSection: 'По секциям',
  tabDocuments: 'Документы',
  tabAutonomous: 'Автономный режим',
  tabMessages: 'Сообщения ОФД',
  tabAudit: 'Журнал доступа',
  identity: 'Данные кассы',
  orgName: 'Налогоплательщик',
  bin: 'БИН/ИИН',
  address: 'Адрес',
  rnm: 'Регистрационный номер (РНМ)',
  kkmId: 'Код кассы в ОФД',
  factoryNumber: 'Заводской номер',
  vatPayer: 'Плательщик НДС',
  yes: 'да',
  no: 'нет',
  period: 'Период',
  takenAt: 'Отчёт снят',
  takenBy: 'Отчёт снял',
  docRange: 'Номера документов',
  noDocs: 'документов нет',
  fiscalReport: 'Фискальный отчёт за период',
  shifts: 'Смены',
  shift: 'Смена',
  zNumber: 'Z-отчёт №',
  opened: 'Открыта',
  closed: 'Закрыта',
  openNow: 'открыта',
  receipts: 'Чеки',
  revenue: 'Выручка',
  cashInDrawer: 'Наличные в кассе',
  checksum: 'Контрольная сумма',
  ofShift: 'смены',
  ofTotal: 'итоговая',
  shiftChecksum: 'Контрольная сумма смены',
  totalChecksum: 'Итоговая контрольная сумма',
  noShifts: 'В этом периоде смен нет',
  totalsByOperation: 'Итоги по операциям',
  operation: 'Операция',
  count: 'Кол-во',
  amount: 'Сумма',
  discounts: 'Скидки',
  markups: 'Наценки',
  autonomousDocs: 'Автономно',
  nonNullable: 'Необнуляемая сумма',
  vatTitle: 'НДС',
  vatRate: 'Ставка',
  turnover: 'Оборот',
  withoutVat: 'Без НДС',
  vat: 'Сумма НДС',
  noVat: 'Оборота, облагаемого НДС, нет',
  paymentsTitle: 'По видам оплаты',
  payment: 'Вид оплаты',
  cashMoves: 'Внесения и изъятия',
  cashAtStart: 'Наличные на начало периода',
  cashAtShiftStart: 'Наличные на начало смены',
  revenueTotal: 'Выручка за период',
  registrations: 'Регистрация и изменения регистрационных данных',
  regAt: 'Дата',
  regKind: 'Вид',
  regChanged: 'Изменённые данные',
  kindRegistration: 'Регистрация',
  kindSettings: 'Изменение',
  noRegistrations: 'Записей о регистрации нет',
  integrityCheck: 'Проверка целостности',
  integrityRunning: 'Журнал проверяется…',
  integrityOk: 'Журнал цел',
  integrityFailed: 'Журнал нарушен',
  recordsChecked: 'записей проверено',
  shiftsChecked: 'закрытых смен',
  seconds: 'с',
  failedAt: 'запись №',
  zOpenHint: 'Чтобы открыть Z-отчёт смены, выберите строку таблицы (мышью или Enter).',
  zOpenShift: 'Смена ещё открыта: Z-отчёта нет',
  zReport: 'Z-отчёт',
  xReport: 'X-отчёт',
  xNow: 'X-отчёт текущей смены, касса не изменяется',
  refresh: 'Обновить',
  noOpenShift: 'Сейчас открытой смены нет',
  autonomousZ: 'Закрыт в автономном режиме, в очереди в ОФД',
  documentNo: 'Документ №',
  cashier: 'Кассир',
  section: 'Секция',
  positions: 'Позиций',
  gross: 'До скидок',
  cash: 'Наличные',
  card: 'Карта',
  mobile: 'Мобильный',
  deposits: 'Внесено',
  withdrawals: 'Изъято',
  shiftsRange: 'Смены',
  amountsNote: 'Суммы в тенге (₸); в скобках — число чеков.',
  nothing: 'В этом периоде данных нет',
  docSearch: 'Номер документа, фискальный признак или сумма (1 250,50)',
  number: '№',
  kind: 'Вид',
  time: 'Время',
  total: 'Сумма',
  fiscalSign: 'Фискальный признак',
  autonomousFlag: 'Автономно',
  nothingFound: 'Ничего не найдено',
  narrowSearch: 'Список неполный: уточните поиск',
  began: 'Начало',
  ended: 'Конец',
  stillAutonomous: 'продолжается',
  reason: 'Причина',
  documents: 'Документы',
  replayed: 'Передано в ОФД',
  noAutonomous: 'В этом периоде автономного режима не было',
  messageAt: 'Дата',
  messageDoc: 'Документ',
  messageText: 'Текст',
  noMessages: 'В этом периоде сообщений ОФД нет',
  auditHint: 'Ваши входы и просмотры на этом сервере, последние сверху.',
  auditAt: 'Время',
  auditAction: 'Действие',
  auditRegister: 'Касса',
  auditDetail: 'Подробности',
  auditRemote: 'Адрес',
  auditOutcome: 'Результат',
  noAudit: 'Записей нет',
  sessionEnded: 'Сеанс завершён: войдите снова',
  printedBy: 'Напечатал',
  page: 'Sauda',
};

export type Key = keyof Words;
const words: Record<Lang, Words> = { kk, ru };

export function tr(lang: Lang, key: Key): string {
  return words[lang][key];
}

type Pair = { kk: string; ru: string };

/** The operator protocol's operation codes (0 buy, 1 buy return, 2 sell, 3 sell return). */
export const operations: Record<number, Pair> = {
  2: { kk: 'Сату', ru: 'Продажа' },
  3: { kk: 'Сатуды қайтару', ru: 'Возврат продажи' },
  0: { kk: 'Сатып алу', ru: 'Покупка' },
  1: { kk: 'Сатып алуды қайтару', ru: 'Возврат покупки' },
};
/** The order reports list operations in: sales first. */
export const operationOrder = [2, 3, 0, 1];

export const documentKinds: Record<string, Pair> = {
  sell: { kk: 'Сату', ru: 'Продажа' },
  sell_return: { kk: 'Сатуды қайтару', ru: 'Возврат продажи' },
  buy: { kk: 'Сатып алу', ru: 'Покупка' },
  buy_return: { kk: 'Сатып алуды қайтару', ru: 'Возврат покупки' },
  deposit: { kk: 'Кассаға салу', ru: 'Внесение' },
  withdrawal: { kk: 'Кассадан алу', ru: 'Изъятие' },
};

export const paymentKinds: Record<string, Pair> = {
  cash: { kk: 'Қолма-қол', ru: 'Наличные' },
  card: { kk: 'Карта', ru: 'Карта' },
  mobile: { kk: 'Мобильді төлем', ru: 'Мобильный платёж' },
};

export const auditActions: Record<string, Pair> = {
  login: { kk: 'Кіру', ru: 'Вход' },
  login_failed: { kk: 'Сәтсіз кіру', ru: 'Неудачный вход' },
  locked: { kk: 'Бұғатталды', ru: 'Блокировка' },
  logout: { kk: 'Шығу', ru: 'Выход' },
  command: { kk: 'Оқу', ru: 'Просмотр' },
  export: { kk: 'Экспорт', ru: 'Экспорт' },
  refused: { kk: 'Қабылданбады', ru: 'Отказано' },
  settings: { kk: 'Баптауларды өзгерту', ru: 'Изменение настроек' },
};

export const auditOutcomes: Record<string, Pair> = {
  ok: { kk: 'сәтті', ru: 'успешно' },
  failed: { kk: 'сәтсіз', ru: 'неудачно' },
  refused: { kk: 'қабылданбады', ru: 'отказано' },
};

/** What the integrity check found broken (`Check` of the core). */
export const checkNames: Record<string, Pair> = {
  sequence: { kk: 'жазбалар реті үзілген', ru: 'нарушена нумерация записей' },
  chain: { kk: 'жазбалар тізбегінің бақылау сомасы сәйкес емес', ru: 'не сходится контрольная сумма цепочки записей' },
  shift_checksum: { kk: 'ауысымның бақылау сомасы сәйкес емес', ru: 'не сходится контрольная сумма смены' },
  total_checksum: { kk: 'жиынтық бақылау сомасы сәйкес емес', ru: 'не сходится итоговая контрольная сумма' },
  watermark: { kk: 'журнал қысқартылған', ru: 'журнал укорочен' },
  key: { kk: 'жинақтауыш кілті қолжетімсіз', ru: 'ключ накопителя недоступен' },
  disk_space: { kk: 'дискіде орын аз', ru: 'мало места на диске' },
  database: { kk: 'дерекқор оқылмайды', ru: 'база данных не читается' },
};

/** Registration fields as `changed` names them. */
export const fieldNames: Record<string, Pair> = {
  org_name: { kk: 'атауы', ru: 'наименование' },
  bin: { kk: 'БСН/ЖСН', ru: 'БИН/ИИН' },
  address: { kk: 'мекенжайы', ru: 'адрес' },
  vat_payer: { kk: 'ҚҚС төлеуші', ru: 'плательщик НДС' },
  vat_certificate: { kk: 'ҚҚС куәлігі', ru: 'свидетельство НДС' },
  factory_number: { kk: 'зауыттық нөмірі', ru: 'заводской номер' },
  rnm: { kk: 'РНМ', ru: 'РНМ' },
  kkm_id: { kk: 'ОФД-дағы коды', ru: 'код в ОФД' },
  token: { kk: 'ОФД токені', ru: 'токен ОФД' },
  ofd_channels: { kk: 'ОФД мекенжайлары', ru: 'адреса ОФД' },
  ofd_name: { kk: 'ОФД', ru: 'ОФД' },
  receipt_check_url: { kk: 'чекті тексеру сайты', ru: 'сайт проверки чека' },
  protocol_version: { kk: 'хаттама нұсқасы', ru: 'версия протокола' },
  utc_offset_minutes: { kk: 'уақыт белдеуі', ru: 'часовой пояс' },
  taxation_type: { kk: 'салық режимі', ru: 'режим налогообложения' },
  default_vat_group: { kk: 'әдепкі ҚҚС тобы', ru: 'группа НДС по умолчанию' },
  location: { kk: 'орналасқан жері', ru: 'местоположение' },
  discount_limit_cashier: { kk: 'кассир жеңілдігінің шегі', ru: 'лимит скидки кассира' },
  discount_limit_manager: { kk: 'менеджер жеңілдігінің шегі', ru: 'лимит скидки менеджера' },
  demo: { kk: 'демо', ru: 'демо' },
};

export function named(map: Record<string, Pair>, key: string | number, lang: Lang): string {
  return map[key]?.[lang] ?? String(key);
}

/** Where the failure happened changes the sentence (a wrong PIN here is a wrong
 *  login or password). */
export type ErrorPlace = 'login' | 'session';

const errors: Partial<Record<ErrorCode, Pair>> = {
  wrong_pin: { kk: 'Логин немесе құпиясөз қате. Қайта енгізіңіз', ru: 'Неверный логин или пароль. Введите ещё раз' },
  session_required: { kk: 'Сеанс аяқталды: қайта кіріңіз', ru: 'Сеанс завершён: войдите снова' },
  validation: { kk: 'Деректер қате: кезеңнің күндерін тексеріңіз (басы соңынан кейін болмауы керек)', ru: 'Неверные данные: проверьте даты периода (начало не позже конца)' },
  not_found: { kk: 'Табылмады: касса немесе ауысым жоқ', ru: 'Не найдено: такой кассы или смены нет' },
  network: { kk: 'Сервермен байланыс жоқ: желіні тексеріп, қайталаңыз', ru: 'Нет связи с сервером: проверьте сеть и повторите' },
  shift_closed: { kk: 'Қазір ашық ауысым жоқ', ru: 'Сейчас открытой смены нет' },
  not_registered: { kk: 'Касса тіркелмеген: оның есептері жоқ', ru: 'Касса не зарегистрирована: отчётов нет' },
  integrity_blocked: { kk: 'Фискалдық жинақтауыш бұзылған: касса бұғатталған', ru: 'Фискальный накопитель нарушен: касса заблокирована' },
  key_unavailable: { kk: 'Жинақтауыш кілті қолжетімсіз: тексеру мүмкін емес', ru: 'Ключ накопителя недоступен: проверка невозможна' },
  storage: { kk: 'Кассаның дискісін оқу қатесі: әкімшіге хабарласыңыз', ru: 'Ошибка чтения диска кассы: обратитесь к администратору' },
  internal: { kk: 'Сервердің ішкі қатесі: қайталаңыз, қайталанса — әкімшіге хабарласыңыз', ru: 'Внутренняя ошибка сервера: повторите, при повторении — обратитесь к администратору' },
};

const loginForbidden: Pair = {
  kk: 'Бұл тіркелгі өшірілген немесе қазір кіруге рұқсат жоқ: кассаның әкімшісіне хабарласыңыз',
  ru: 'Учётная запись отключена или вход сейчас не разрешён: обратитесь к администратору кассы',
};
const sessionForbidden: Pair = {
  kk: 'Бұл кассаның деректерін оқуға рұқсатыңыз жоқ',
  ru: 'У вас нет права читать данные этой кассы',
};

/** "try again in 840 s" in the core's message: the one figure worth showing. */
function secondsIn(message: string): number | null {
  const m = /(\d+)\s*s\b/.exec(message);
  return m ? Number(m[1]) : null;
}

function lockedText(message: string, lang: Lang): string {
  const s = secondsIn(message);
  if (s === null) {
    return lang === 'kk'
      ? 'Кіру әрекеттері тым көп: бір минут күтіп, қайталаңыз'
      : 'Слишком много попыток входа: подождите минуту и повторите';
  }
  const minutes = Math.max(1, Math.ceil(s / 60));
  return lang === 'kk'
    ? `Қате кіру тым көп: тіркелгі уақытша бұғатталды, ${minutes} минуттан кейін қайталаңыз немесе әкімшіге хабарласыңыз`
    : `Слишком много неверных попыток: учётная запись временно заблокирована, повторите через ${minutes} мин или обратитесь к администратору`;
}

/** The sentence shown for a failure; `fallback` is the till's table for codes the
 *  workstation has no own sentence for. */
export function inspectorErrorText(
  code: ErrorCode,
  message: string,
  lang: Lang,
  place: ErrorPlace,
  fallback: (code: ErrorCode, lang: Lang) => string,
): string {
  if (code === 'login_locked') return lockedText(message, lang);
  if (code === 'forbidden') return (place === 'login' ? loginForbidden : sessionForbidden)[lang];
  const own = errors[code];
  return own ? own[lang] : fallback(code, lang);
}

/** What each command the log names does, for the access log. */
const commandNames: Record<string, Pair> = {
  report_period: { kk: 'Кезең есебі', ru: 'Отчёт за период' },
  report_period_by_cashier: { kk: 'Кезең есебі кассир бойынша', ru: 'Отчёт за период по кассирам' },
  report_period_by_section: { kk: 'Кезең есебі бөлім бойынша', ru: 'Отчёт за период по секциям' },
  document_list: { kk: 'Құжаттар тізімі', ru: 'Список документов' },
  autonomous_periods: { kk: 'Автономды режим кезеңдері', ru: 'Периоды автономного режима' },
  operator_messages: { kk: 'ОФД хабарламалары', ru: 'Сообщения ОФД' },
  report_x: { kk: 'X-есеп', ru: 'X-отчёт' },
  report_z_get: { kk: 'Z-есеп', ru: 'Z-отчёт' },
  journal_verify: { kk: 'Тұтастықты тексеру', ru: 'Проверка целостности' },
  journal_export: { kk: 'Журнал экспорты', ru: 'Экспорт журнала' },
  register_header: { kk: 'Касса деректері', ru: 'Данные кассы' },
  register_status: { kk: 'Касса күйі', ru: 'Состояние кассы' },
  settings_show: { kk: 'Касса баптаулары', ru: 'Настройки кассы' },
};

const auditWords: Record<string, Pair> = {
  login_failed: { kk: 'логин немесе құпиясөз қате', ru: 'неверный логин или пароль' },
  locked: { kk: 'қате кіру тым көп: тіркелгі уақытша бұғатталды', ru: 'слишком много неверных попыток: учётная запись временно заблокирована' },
  shift: { kk: 'ауысым', ru: 'смена' },
  query: { kk: 'іздеу', ru: 'поиск' },
  page: { kk: 'келесі бет', ru: 'следующая страница' },
};

/** An access-log entry's detail in words: the command read and its period, search or
 *  shift. What cannot be read so (a refusal's reason) stays as the server wrote it. */
export function describeAudit(action: string, detail: string, lang: Lang): { main: string; extra: string } {
  if (action === 'login_failed' || action === 'locked') return { main: auditWords[action]![lang], extra: '' };
  const m = /^([a-z_]+)(?: ([\s\S]*))?$/.exec(detail);
  const name = m?.[1];
  if (!m || !name || !commandNames[name]) return { main: detail, extra: '' };
  const rest = m[2] ?? '';
  let input: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = rest ? JSON.parse(rest) : null;
    if (parsed && typeof parsed === 'object') input = parsed as Record<string, unknown>;
  } catch {
    return { main: commandNames[name][lang], extra: rest };
  }
  const parts: string[] = [];
  if (input) {
    if (typeof input.from === 'string' && typeof input.to === 'string') {
      parts.push(`${formatDay(input.from)} — ${formatDay(input.to)}`);
    }
    if (typeof input.shift === 'number') parts.push(`${auditWords.shift![lang]} ${input.shift}`);
    if (typeof input.query === 'string' && input.query) parts.push(`${auditWords.query![lang]}: «${input.query}»`);
    if (typeof input.after_seq === 'number') parts.push(auditWords.page![lang]);
  }
  return { main: commandNames[name][lang], extra: parts.join(', ') };
}
