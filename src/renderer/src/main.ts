import { createApp, h, ref } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { connect } from './api'
import { setApi } from './api/current'
import { makeI18n } from './i18n'
import { useSettings } from './stores/settings'
import { catchUp, wireEvents } from './stores/session'
import { useNotify } from './stores/notify'
import './styles/app.css'

const conn = connect()
setApi(conn.api)

const pinia = createPinia()
const state = ref(conn.state())
const app = createApp({ render: () => h(App, { connection: state.value, hasToken: conn.hasToken }) })
app.use(pinia)
const settings = useSettings(pinia)
app.use(makeI18n(settings.locale))
wireEvents(conn.api)

let first = true
const sync = (): void => {
  const wasFirst = first
  first = false
  catchUp(conn.api, wasFirst).catch((err) => useNotify(pinia).error(err))
}
conn.onState((s) => {
  state.value = s
  if (s === 'open') sync()
})
if (conn.state() === 'open') sync()

app.mount('#app')
