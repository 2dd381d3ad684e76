import { render } from 'preact';
import { OptionsForm } from '../../components/options/OptionsForm';
import { t, uiLocale } from '../../components/sidebar/t';
import '../../components/options/options.css';
import { sendMessage } from '../../utils/messaging/client';

// Entry point wiring only: the form lives in components/options/.
document.documentElement.lang = uiLocale() ?? 'en';
document.title = t('options_title');
render(<OptionsForm send={sendMessage} />, document.getElementById('app')!);
